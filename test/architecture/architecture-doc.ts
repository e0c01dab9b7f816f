/**
 * Pure helpers behind test/architecture/architecture.spec.ts: reading docs/ARCHITECTURE.md (headings,
 * anchors, links, delimited reference tables, Mermaid blocks), a strict syntax check for the
 * Mermaid diagram types that @mermaid-js/parser cannot parse, and the Prisma schema reader.
 * No I/O and no project imports: everything here is testable on strings.
 */

// ---------------------------------------------------------------------------------------------
// Markdown

export interface Heading {
  level: number;
  text: string;
  anchor: string;
  line: number;
}

/** Markdown lines outside fenced code blocks, with their 1-based line numbers. */
export function proseLines(md: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | null = null;
  md.split('\n').forEach((text, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(text);
    if (m) {
      if (fence === null) fence = m[1][0].repeat(m[1].length);
      else if (m[1].startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push({ line: i + 1, text });
  });
  return out;
}

/** The visible text of inline Markdown: links keep their text, code spans their content. */
export function inlineText(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*_]{1,3}([^*_]+)[*_]{1,3}/g, '$1')
    .trim();
}

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
export function githubSlug(text: string): string {
  return inlineText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

export function headings(md: string): Heading[] {
  const seen = new Map<string, number>();
  const out: Heading[] = [];
  for (const { line, text } of proseLines(md)) {
    const m = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(text);
    if (!m) continue;
    const base = githubSlug(m[2]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({
      level: m[1].length,
      text: inlineText(m[2]),
      anchor: n === 0 ? base : `${base}-${n}`,
      line,
    });
  }
  return out;
}

export interface Link {
  text: string;
  target: string;
  line: number;
}

/** Inline links outside code (code spans are skipped too). */
export function links(md: string): Link[] {
  const out: Link[] = [];
  for (const { line, text } of proseLines(md)) {
    const noCode = text.replace(/`[^`]*`/g, '');
    for (const m of noCode.matchAll(/\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      out.push({ text: m[1], target: m[2], line });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reference tables: the parts of the document the spec compares with the code, delimited by
// `<!-- ref:NAME -->` ... `<!-- /ref:NAME -->`, each holding one or more pipe tables.

export type Row = Record<string, string> & { __line: string };

export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      cur += c;
    } else if (c === '|' && !inCode) {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

export function referenceSectionNames(md: string): string[] {
  return [...md.matchAll(/<!--\s*ref:([a-z0-9-]+)\s*-->/g)].map((m) => m[1]);
}

/** Rows of every table between the markers, keyed by lower-cased header text. */
export function referenceRows(md: string, name: string): Row[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `<!-- ref:${name} -->`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `<!-- /ref:${name} -->`);
  if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no <!-- ref:${name} --> section`);
  if (end < 0)
    throw new Error(
      `docs/ARCHITECTURE.md: <!-- ref:${name} --> is not closed by <!-- /ref:${name} -->`,
    );
  const rows: Row[] = [];
  let header: string[] | null = null;
  for (let i = start + 1; i < end; i++) {
    const l = lines[i].trim();
    if (!l.startsWith('|')) {
      header = null;
      continue;
    }
    const cells = splitRow(l);
    if (!header) {
      header = cells.map((c) => inlineText(c).toLowerCase());
      continue;
    }
    if (cells.every((c) => /^:?-{3,}:?$/.test(c))) continue;
    const row = { __line: String(i + 1) } as Row;
    header.forEach((h, k) => (row[h] = cells[k] ?? ''));
    rows.push(row);
  }
  return rows;
}

/** The contents of the code spans of a cell: `GET` -> GET. */
export function codeSpans(cell: string | undefined): string[] {
  return [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1].trim());
}

/** The single code span of a cell, or the cell's text. */
export function cellValue(cell: string | undefined): string {
  const spans = codeSpans(cell);
  return spans.length === 1 ? spans[0] : inlineText(cell ?? '');
}

// ---------------------------------------------------------------------------------------------
// Mermaid blocks

export interface MermaidBlock {
  line: number;
  text: string;
  /** First keyword: flowchart, sequenceDiagram, erDiagram, architecture-beta, ... */
  type: string;
}

/** The bodies of the fenced blocks of one language (```dotenv), with their opening line. */
export function fencedBlocks(md: string, lang: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```' + lang) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() !== '```') j++;
    out.push({ line: i + 1, text: lines.slice(i + 1, j).join('\n') });
    i = j;
  }
  return out;
}

export function mermaidBlocks(md: string): MermaidBlock[] {
  const out: MermaidBlock[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```mermaid\s*$/.test(lines[i])) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j]);
    const text = body.join('\n');
    const first = body.find((l) => l.trim() !== '' && !l.trim().startsWith('%%')) ?? '';
    out.push({ line: i + 1, text, type: first.trim().split(/\s+/)[0] ?? '' });
    i = j;
  }
  return out;
}

/**
 * Strict, minimal syntax checks for the diagram types @mermaid-js/parser does not parse
 * (flowchart, sequenceDiagram, erDiagram). They accept only the subset of Mermaid syntax
 * this document uses, line by line, so anything unusual fails loudly instead of being waved
 * through; they are not Mermaid's grammar and cannot promise that Mermaid renders a block
 * they accept (see the header of test/architecture/architecture.spec.ts).
 */
export interface SyntaxProblem {
  line: number;
  message: string;
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const QUOTED = '"[^"]*"';

function balanced(s: string): string | null {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let inQuote = false;
  for (const c of s) {
    if (c === '"') inQuote = !inQuote;
    if (inQuote) continue;
    if ('([{'.includes(c)) stack.push(c);
    else if (')]}'.includes(c)) {
      if (stack.pop() !== pairs[c]) return `unbalanced "${c}"`;
    }
  }
  if (inQuote) return 'unterminated quote';
  if (stack.length) return `unclosed "${stack[stack.length - 1]}"`;
  return null;
}

// Node shapes, label always quoted: id["x"], id("x"), id(["x"]), id[("x")], id[["x"]], id{{"x"}}, id{"x"}, id(("x"))
const SHAPES = [
  `\\[${QUOTED}\\]`,
  `\\(${QUOTED}\\)`,
  `\\(\\[${QUOTED}\\]\\)`,
  `\\[\\(${QUOTED}\\)\\]`,
  `\\[\\[${QUOTED}\\]\\]`,
  `\\{\\{${QUOTED}\\}\\}`,
  `\\{${QUOTED}\\}`,
  `\\(\\(${QUOTED}\\)\\)`,
];
const NODE = `(${ID})(?:${SHAPES.join('|')})?`;
const ARROWS = ['-->', '---', '-.->', '-.-', '==>', '<-->', '--x', '--o'];
const ARROW = `(?:${ARROWS.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
const EDGE_LABEL = `(?:\\|${QUOTED}\\|)`;
const FLOW_PATTERNS: [RegExp, string][] = [
  [new RegExp(`^subgraph ${ID}(?:\\[${QUOTED}\\])?$`), 'subgraph'],
  [/^end$/, 'end'],
  [/^direction (TB|TD|BT|RL|LR)$/, 'direction'],
  [new RegExp(`^${NODE}$`), 'node'],
  [new RegExp(`^${NODE} ${ARROW}${EDGE_LABEL}? ${NODE}$`), 'edge'],
  [new RegExp(`^classDef ${ID} [a-z-]+:[^;\\s]+(,[a-z-]+:[^;\\s]+)*;?$`), 'classDef'],
  [new RegExp(`^class ${ID}(,${ID})* ${ID};?$`), 'class'],
];
const RESERVED_IDS = new Set([
  'end',
  'subgraph',
  'graph',
  'flowchart',
  'style',
  'class',
  'classDef',
  'click',
  'direction',
]);

export function checkFlowchart(text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const lines = text.split('\n');
  let depth = 0;
  let sawHeader = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (line === '' || line.startsWith('%%')) return;
    if (!sawHeader) {
      sawHeader = true;
      if (!/^flowchart (TB|TD|BT|RL|LR)$/.test(line))
        problems.push({ line: n, message: `expected "flowchart TB|TD|BT|RL|LR", got "${line}"` });
      return;
    }
    const b = balanced(line);
    if (b) problems.push({ line: n, message: `${b}: ${line}` });
    if (line.includes(';') && !line.startsWith('classDef') && !line.startsWith('class ')) {
      problems.push({
        line: n,
        message: `";" ends a statement in Mermaid; write #59; in labels: ${line}`,
      });
    }
    const hit = FLOW_PATTERNS.find(([re]) => re.test(line));
    if (!hit) {
      problems.push({
        line: n,
        message: `not in the flowchart subset (node, edge "A --> B", subgraph/end, direction, classDef, class): ${line}`,
      });
      return;
    }
    if (hit[1] === 'subgraph') depth++;
    if (hit[1] === 'end') {
      depth--;
      if (depth < 0) problems.push({ line: n, message: '"end" without subgraph' });
    }
    if (hit[1] === 'node' || hit[1] === 'edge') {
      const ids = [
        ...line.replace(/"[^"]*"/g, '""').matchAll(new RegExp(`(?:^|\\s)(${ID})`, 'g')),
      ].map((m) => m[1]);
      for (const id of ids)
        if (RESERVED_IDS.has(id))
          problems.push({ line: n, message: `"${id}" is a Mermaid keyword, not a node id` });
    }
  });
  if (!sawHeader) problems.push({ line: 1, message: 'empty diagram' });
  if (depth > 0)
    problems.push({ line: lines.length, message: `${depth} subgraph(s) not closed with "end"` });
  return problems;
}

const SEQ_ARROW = '(?:->>|-->>|->|-->|-x|--x|-\\)|--\\))';
const SEQ_BLOCKS = ['loop', 'alt', 'opt', 'par', 'critical', 'break', 'rect', 'box'];
const SEQ_BLOCK_CONT: Record<string, string[]> = {
  else: ['alt'],
  and: ['par'],
  option: ['critical'],
};

export function checkSequence(text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const lines = text.split('\n');
  const participants = new Set<string>();
  const stack: string[] = [];
  let sawHeader = false;
  const need = (id: string, n: number) => {
    if (!participants.has(id))
      problems.push({ line: n, message: `participant "${id}" is not declared` });
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (line === '' || line.startsWith('%%')) return;
    if (!sawHeader) {
      sawHeader = true;
      if (line !== 'sequenceDiagram')
        problems.push({ line: n, message: `expected "sequenceDiagram", got "${line}"` });
      return;
    }
    if (line.includes(';'))
      problems.push({ line: n, message: `";" ends a statement in Mermaid; write #59;: ${line}` });
    let m: RegExpExecArray | null;
    if (line === 'autonumber') return;
    if ((m = new RegExp(`^(participant|actor) (${ID})(?: as (.+))?$`).exec(line))) {
      if (stack.length && stack[stack.length - 1] !== 'box')
        problems.push({ line: n, message: 'declare participants before blocks' });
      participants.add(m[2]);
      return;
    }
    if ((m = new RegExp(`^(${ID})${SEQ_ARROW}([+-]?)(${ID}): (.+)$`).exec(line))) {
      need(m[1], n);
      need(m[3], n);
      return;
    }
    if ((m = new RegExp(`^(activate|deactivate) (${ID})$`).exec(line))) {
      need(m[2], n);
      return;
    }
    if (
      (m = new RegExp(`^Note (?:over (${ID})(?:,(${ID}))?|(?:left|right) of (${ID})): (.+)$`).exec(
        line,
      ))
    ) {
      for (const id of [m[1], m[2], m[3]]) if (id) need(id, n);
      return;
    }
    if ((m = /^([a-z]+)(?: (.+))?$/.exec(line)) && SEQ_BLOCKS.includes(m[1])) {
      if (m[1] === 'rect' && !/^rgba?\([\d\s,.]+\)$/.test(m[2] ?? ''))
        problems.push({ line: n, message: `rect needs rgb(...) or rgba(...): ${line}` });
      stack.push(m[1]);
      return;
    }
    if ((m = /^([a-z]+)(?: (.+))?$/.exec(line)) && SEQ_BLOCK_CONT[m[1]]) {
      if (!SEQ_BLOCK_CONT[m[1]].includes(stack[stack.length - 1] ?? '')) {
        problems.push({ line: n, message: `"${m[1]}" outside ${SEQ_BLOCK_CONT[m[1]].join('/')}` });
      }
      return;
    }
    if (line === 'end') {
      if (!stack.pop()) problems.push({ line: n, message: '"end" without an open block' });
      return;
    }
    problems.push({ line: n, message: `not in the sequenceDiagram subset: ${line}` });
  });
  if (!sawHeader) problems.push({ line: 1, message: 'empty diagram' });
  if (stack.length)
    problems.push({ line: lines.length, message: `block(s) not closed: ${stack.join(', ')}` });
  return problems;
}

export interface ErEntity {
  name: string;
  attributes: { type: string; name: string; keys: string[] }[];
}

export interface ErModel {
  entities: Map<string, ErEntity>;
  relations: { left: string; right: string; label: string }[];
}

const ER_CARD_L = '(?:\\|o|\\|\\||\\}o|\\}\\|)';
const ER_CARD_R = '(?:o\\||\\|\\||o\\{|\\|\\{)';

/** Checks an erDiagram against the subset and returns what it declares. */
export function parseErDiagram(text: string): { problems: SyntaxProblem[]; model: ErModel } {
  const problems: SyntaxProblem[] = [];
  const model: ErModel = { entities: new Map(), relations: [] };
  const lines = text.split('\n');
  let sawHeader = false;
  let current: ErEntity | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (line === '' || line.startsWith('%%')) return;
    if (!sawHeader) {
      sawHeader = true;
      if (line !== 'erDiagram')
        problems.push({ line: n, message: `expected "erDiagram", got "${line}"` });
      return;
    }
    let m: RegExpExecArray | null;
    if (current) {
      if (line === '}') {
        current = null;
        return;
      }
      m =
        /^([A-Za-z][A-Za-z0-9_]*(?:\([0-9, ]+\))?) ([A-Za-z_][A-Za-z0-9_]*)((?: (?:PK|FK|UK)(?:, ?(?:PK|FK|UK))*)?)( "[^"]*")?$/.exec(
          line,
        );
      if (!m) {
        problems.push({
          line: n,
          message: `attribute must be "type name [PK|FK|UK] ["comment"]": ${line}`,
        });
        return;
      }
      current.attributes.push({
        type: m[1],
        name: m[2],
        keys: m[3].trim() ? m[3].trim().split(/,\s*/) : [],
      });
      return;
    }
    if ((m = new RegExp(`^(${ID}) \\{$`).exec(line))) {
      if (model.entities.has(m[1]))
        problems.push({ line: n, message: `entity ${m[1]} declared twice` });
      current = { name: m[1], attributes: [] };
      model.entities.set(current.name, current);
      return;
    }
    if (
      (m = new RegExp(
        `^(${ID}) ${ER_CARD_L}(?:--|\\.\\.)${ER_CARD_R} (${ID}) : (${QUOTED}|[A-Za-z0-9_-]+)$`,
      ).exec(line))
    ) {
      model.relations.push({ left: m[1], right: m[2], label: m[3].replace(/^"|"$/g, '') });
      return;
    }
    problems.push({
      line: n,
      message: `not in the erDiagram subset (entity block or relationship): ${line}`,
    });
  });
  if (!sawHeader) problems.push({ line: 1, message: 'empty diagram' });
  if (current)
    problems.push({
      line: lines.length,
      message: `entity ${(current as ErEntity).name} not closed with "}"`,
    });
  for (const r of model.relations) {
    for (const e of [r.left, r.right]) {
      if (!model.entities.has(e))
        problems.push({ line: 0, message: `relationship names undeclared entity ${e}` });
    }
  }
  return { problems, model };
}

// ---------------------------------------------------------------------------------------------
// Prisma schema

export interface PrismaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  id: boolean;
  unique: boolean;
  /** A relation field (no column): `conversation ChatConversation @relation(...)`. */
  relation: boolean;
  column: string;
}

export interface PrismaModel {
  name: string;
  table: string;
  fields: PrismaField[];
}

const SCALARS = new Set([
  'String',
  'Int',
  'BigInt',
  'Float',
  'Decimal',
  'DateTime',
  'Boolean',
  'Json',
  'Bytes',
]);

export function parsePrismaModels(schema: string): PrismaModel[] {
  const models: PrismaModel[] = [];
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const name = m[1];
    let table = name;
    const fields: PrismaField[] = [];
    for (const raw of m[2].split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const map = /^@@map\("([^"]+)"\)/.exec(line);
      if (map) {
        table = map[1]!;
        continue;
      }
      if (line.startsWith('@@')) continue;
      const f = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!f) continue;
      const attrs = f[5];
      const relation = !SCALARS.has(f[2]);
      fields.push({
        name: f[1],
        type: f[2],
        list: Boolean(f[3]),
        optional: Boolean(f[4]),
        id: /@id\b/.test(attrs),
        unique: /@unique\b/.test(attrs),
        relation,
        column: /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? f[1],
      });
    }
    models.push({ name, table, fields });
  }
  return models;
}

const ER_TYPES: Record<string, string> = {
  String: 'string',
  Int: 'int',
  BigInt: 'bigint',
  Float: 'float',
  Decimal: 'decimal',
  DateTime: 'datetime',
  Boolean: 'boolean',
  Json: 'json',
  Bytes: 'bytes',
};

/** The erDiagram type of a Prisma scalar: `String` -> `string`. */
export function erType(prismaType: string): string {
  return ER_TYPES[prismaType] ?? prismaType.toLowerCase();
}

/** Key markers an erDiagram attribute carries for a field: PK, FK, UK, in that order. */
export function erKeys(field: PrismaField, foreignKeyFields: readonly string[]): string[] {
  const keys: string[] = [];
  if (field.id) keys.push('PK');
  if (foreignKeyFields.includes(field.name)) keys.push('FK');
  if (field.unique) keys.push('UK');
  return keys;
}

/** Foreign-key columns of a model, from its `@relation(fields: [...])` attributes. */
export function foreignKeys(schema: string, model: string): string[] {
  const body = new RegExp(`^model\\s+${model}\\s*\\{([\\s\\S]*?)^\\}`, 'm').exec(schema)?.[1] ?? '';
  return [...body.matchAll(/@relation\([^)]*fields:\s*\[([^\]]+)\]/g)].flatMap((m) =>
    m[1].split(',').map((s) => s.trim()),
  );
}

/** A Markdown pipe-table row of cells (for the "add this row" hints). */
export function tableRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
