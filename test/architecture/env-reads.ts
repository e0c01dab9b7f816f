/**
 * Environment variables a source file reads, found with the TypeScript parser (no type checker,
 * so the whole repository is never compiled): `process.env.NAME` and `process.env['NAME']`, and
 * the same through an alias, a variable or parameter that holds `process.env` (`const env =
 * process.env`, `env: NodeJS.ProcessEnv = process.env`, `const { NAME } = process.env`), and
 * through a helper, a function that reads `process.env[param]` (`intEnv('NAME', 8100)`).
 * A literal fallback beside the read (`?? 'x'`, `|| 5432`, the helper's next argument) is kept
 * as the variable's default. Pure: text in, reads out.
 */
import * as path from 'node:path';
import ts from 'typescript';

export interface EnvRead {
  name: string;
  /** A literal fallback at the read, as text (`5432`, `127.0.0.1`). */
  defaultText?: string;
}

/** A function that reads the variable named by one of its parameters. */
export interface EnvHelper {
  name: string;
  param: number;
}

const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

function parse(file: string, text: string): ts.SourceFile {
  const kind = /\.m?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(path.basename(file), text, ts.ScriptTarget.Latest, true, kind);
}

function isProcessEnv(n: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(n) &&
    ts.isIdentifier(n.expression) &&
    n.expression.text === 'process' &&
    n.name.text === 'env'
  );
}

/** `x: NodeJS.ProcessEnv` or `x = process.env` (also `x: NodeJS.ProcessEnv = process.env`). */
function holdsProcessEnv(
  n: ts.ParameterDeclaration | ts.VariableDeclaration,
  sf: ts.SourceFile,
): boolean {
  if (n.initializer && isProcessEnv(n.initializer)) return true;
  return n.type !== undefined && /\bProcessEnv$/.test(n.type.getText(sf));
}

function literalText(n: ts.Node | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isNumericLiteral(n))
    return n.text;
  return undefined;
}

/** The scope an alias is visible in: its function for a parameter, its block for a variable. */
function scopeOf(n: ts.Node): ts.Node {
  let p: ts.Node | undefined = n.parent;
  while (p && !ts.isFunctionLike(p) && !ts.isBlock(p) && !ts.isSourceFile(p)) p = p.parent;
  return p ?? n.getSourceFile();
}

/** Aliases of process.env: name -> the scopes it is bound in. */
function aliases(sf: ts.SourceFile): Map<string, ts.Node[]> {
  const out = new Map<string, ts.Node[]>();
  const visit = (n: ts.Node): void => {
    if (
      (ts.isParameter(n) || ts.isVariableDeclaration(n)) &&
      ts.isIdentifier(n.name) &&
      holdsProcessEnv(n, sf)
    ) {
      const scopes = out.get(n.name.text) ?? [];
      scopes.push(scopeOf(n));
      out.set(n.name.text, scopes);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function within(n: ts.Node, scope: ts.Node): boolean {
  return n.pos >= scope.pos && n.end <= scope.end;
}

/** process.env itself, or an identifier bound to it where `n` stands. */
function isEnvObject(n: ts.Node, alias: Map<string, ts.Node[]>): boolean {
  if (isProcessEnv(n)) return true;
  return ts.isIdentifier(n) && (alias.get(n.text) ?? []).some((s) => within(n, s));
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return fn.name.text;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

/** Functions of this file that read `process.env[param]` (or an alias's). */
export function envHelpers(file: string, text: string): EnvHelper[] {
  const sf = parse(file, text);
  const alias = aliases(sf);
  const out: EnvHelper[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isElementAccessExpression(n) &&
      isEnvObject(n.expression, alias) &&
      ts.isIdentifier(n.argumentExpression)
    ) {
      const key = n.argumentExpression.text;
      let fn: ts.Node | undefined = n.parent;
      while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
      if (fn && ts.isFunctionLike(fn)) {
        const param = fn.parameters.findIndex(
          (p) => ts.isIdentifier(p.name) && p.name.text === key,
        );
        const name = functionName(fn);
        if (param >= 0 && name) out.push({ name, param });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Every variable `text` reads, directly, through an alias or through one of `helpers`. */
export function envReads(
  file: string,
  text: string,
  helpers: readonly EnvHelper[] = [],
): EnvRead[] {
  const sf = parse(file, text);
  const alias = aliases(sf);
  const out: EnvRead[] = [];
  /** `read ?? 'x'` / `read || 5432`: the literal on the right. */
  const fallback = (n: ts.Node): string | undefined => {
    const p = n.parent;
    if (
      p &&
      ts.isBinaryExpression(p) &&
      p.left === n &&
      [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(
        p.operatorToken.kind,
      )
    )
      return literalText(p.right);
    return undefined;
  };
  const add = (name: string, defaultText: string | undefined): void => {
    if (VARIABLE.test(name)) out.push(defaultText === undefined ? { name } : { name, defaultText });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && isEnvObject(n.expression, alias)) {
      add(n.name.text, fallback(n));
    } else if (ts.isElementAccessExpression(n) && isEnvObject(n.expression, alias)) {
      const key = literalText(n.argumentExpression);
      if (key !== undefined) add(key, fallback(n));
    } else if (
      ts.isVariableDeclaration(n) &&
      ts.isObjectBindingPattern(n.name) &&
      n.initializer &&
      isEnvObject(n.initializer, alias)
    ) {
      for (const el of n.name.elements) {
        const key = el.propertyName ?? el.name;
        if (ts.isIdentifier(key)) add(key.text, literalText(el.initializer));
      }
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      const callee = n.expression.text;
      for (const h of helpers.filter((x) => x.name === callee)) {
        const key = literalText(n.arguments[h.param]);
        if (key !== undefined) add(key, literalText(n.arguments[h.param + 1]));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
