// Parses Mermaid blocks with @mermaid-js/parser, which is ESM-only and so cannot be loaded in
// Jest's CommonJS sandbox: architecture.spec.ts runs this file with plain Node.
// stdin: JSON [{ id, type, text }], type being the parser's diagram name ("architecture", "pie", ...).
// stdout: JSON [{ id, ok, error? }].
import { parse } from '@mermaid-js/parser';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { id, type, text } of JSON.parse(input)) {
  try {
    await parse(type, text);
    results.push({ id, ok: true });
  } catch (err) {
    results.push({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}
process.stdout.write(JSON.stringify(results));
