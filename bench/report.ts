/** Results of the benchmarks: the stdout table, and the JSON + Markdown report files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchmarkId, BenchOptions } from './options';
import type { CpuShare, MachineInfo } from './proc-stats';

export interface Figure {
  metric: string;
  value: string;
  /** e.g. "<= 11.5 s (1.15x floor)"; absent for context figures. */
  target?: string;
  /** true/false when a target applies; null when it could not be judged. */
  met?: boolean | null;
}

export interface CpuReport {
  wallSeconds: number;
  byProcess: Record<string, CpuShare>;
  machineBusyCores: number;
  cores: number;
}

export interface BenchResult {
  id: BenchmarkId;
  title: string;
  status: 'ok' | 'error';
  figures: Figure[];
  /** What limits the figure, measured (filled when a target is missed, and useful anyway). */
  bound?: string;
  notes: string[];
  /** A Markdown table (lines) for the Markdown report, printed as is after the bound. */
  table?: string[];
  cpu?: CpuReport | Record<string, CpuReport>;
  details: Record<string, unknown>;
  error?: string;
  durationSeconds: number;
}

export interface BenchReport {
  tool: 'quillflow-bench';
  startedAt: string;
  finishedAt: string;
  label: string;
  quick: boolean;
  machine: MachineInfo;
  options: Omit<BenchOptions, 'outDir'>;
  results: BenchResult[];
}

const mark = (met: boolean | null | undefined) =>
  met === true ? 'yes' : met === false ? 'NO' : met === null ? '?' : '';

function rows(results: BenchResult[]): string[][] {
  const out: string[][] = [];
  for (const r of results) {
    if (r.status === 'error') {
      out.push([r.id, 'ERROR', (r.error ?? '').split('\n')[0].slice(0, 90), '', 'NO']);
      continue;
    }
    r.figures.forEach((f, i) =>
      out.push([
        i === 0 ? `${r.id} ${r.title}` : '',
        f.metric,
        f.value,
        f.target ?? '',
        mark(f.met),
      ]),
    );
  }
  return out;
}

const HEAD = ['benchmark', 'metric', 'measured', 'target', 'met'];

export function textTable(results: BenchResult[]): string {
  const body = rows(results);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function markdownTable(results: BenchResult[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map(() => '---').join(' | ')} |`,
    ...rows(results).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function cpuLines(cpu: CpuReport): string[] {
  const procs = Object.entries(cpu.byProcess)
    .map(([name, s]) => `${name} ${s.cores.toFixed(2)}`)
    .join(', ');
  return [
    `CPU (average cores busy over ${cpu.wallSeconds} s): ${procs}; whole machine ${cpu.machineBusyCores.toFixed(2)} of ${cpu.cores}`,
  ];
}

export function markdownReport(rep: BenchReport): string {
  const m = rep.machine;
  const lines = [
    `# Quillflow benchmark report: ${rep.label}`,
    '',
    `${rep.startedAt} to ${rep.finishedAt}${rep.quick ? ' (quick mode: CI-sized, figures are not comparable to the targets)' : ''}`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.platform} ${m.kernel}; ` +
      `load average at start ${m.loadAverageAtStart.join(' / ')} (shared machine: other processes ran too).`,
    '',
    `Options: ${JSON.stringify(rep.options)}`,
    '',
    markdownTable(rep.results),
    '',
  ];
  for (const r of rep.results) {
    lines.push(`## ${r.id} ${r.title}`, '');
    if (r.status === 'error') lines.push('```', r.error ?? '', '```', '');
    if (r.bound) lines.push(`**Bound:** ${r.bound}`, '');
    if (r.table) lines.push(...r.table, '');
    for (const n of r.notes) lines.push(`- ${n}`);
    if (r.cpu) {
      const cpus = 'wallSeconds' in r.cpu ? { run: r.cpu as CpuReport } : r.cpu;
      for (const [k, c] of Object.entries(cpus)) lines.push(`- ${k}: ${cpuLines(c).join(' ')}`);
    }
    lines.push(
      '',
      '<details><summary>details</summary>',
      '',
      '```json',
      JSON.stringify(r.details, null, 2),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return lines.join('\n');
}

export function writeReports(rep: BenchReport, outDir: string): { json: string; md: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = rep.startedAt.replace(/[:.]/g, '-');
  const base = path.join(outDir, `bench-${rep.quick ? 'quick-' : ''}${stamp}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify(rep, null, 2));
  fs.writeFileSync(`${base}.md`, markdownReport(rep));
  return { json: `${base}.json`, md: `${base}.md` };
}
