/**
 * Another build of the workflow code, for upgrade tests: a copy of workflows/ with edits applied
 * at anchors, bundled as a worker of that build would load it. The copy sits beside the real
 * folders (test-artifacts/<name>/workflows, with links to common/, temporal/ and activities/)
 * so its imports resolve as the originals do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeWorkflowBundle } from '../../workers/bundle';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkflowEdit {
  /** File under workflows/, e.g. 'story.workflow.ts'. */
  file: string;
  /** Text that occurs exactly once in the file; the insertion goes right before it. */
  before: string;
  insert: string;
}

/** Writes the variant's bundle and returns its path (for QUILLFLOW_TEST_WORKFLOW_BUNDLE). */
export async function buildWorkflowVariant(name: string, edits: WorkflowEdit[]): Promise<string> {
  const dir = path.join(ROOT, 'test-artifacts', `workflow-build-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'workflows'), { recursive: true });
  for (const shared of ['common', 'temporal', 'activities'])
    fs.symlinkSync(path.join(ROOT, shared), path.join(dir, shared));
  const source = path.join(ROOT, 'workflows');
  for (const f of fs
    .readdirSync(source)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    let text = fs.readFileSync(path.join(source, f), 'utf8');
    for (const e of edits.filter((e) => e.file === f)) {
      const at = text.indexOf(e.before);
      // The anchor moved or is ambiguous: the variant would not be the build the test describes.
      if (at < 0 || text.indexOf(e.before, at + 1) >= 0) {
        throw new Error(
          `workflow build ${name}: the anchor ${JSON.stringify(e.before)} must occur once in workflows/${f}`,
        );
      }
      text = text.slice(0, at) + e.insert + text.slice(at);
    }
    fs.writeFileSync(path.join(dir, 'workflows', f), text);
  }
  const missing = edits.filter((e) => !fs.existsSync(path.join(source, e.file)));
  if (missing.length) throw new Error(`workflow build ${name}: no workflows/${missing[0].file}`);
  return writeWorkflowBundle(path.join(dir, 'bundle.js'), path.join(dir, 'workflows', 'index.ts'));
}
