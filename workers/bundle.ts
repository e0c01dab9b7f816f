import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from './worker';

/** Bundles the workflow code once (build step / test setup) so workers start in milliseconds. */
export async function writeWorkflowBundle(
  outFile: string,
  fromWorkflowsPath = workflowsPath(),
): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fromWorkflowsPath,
    logger: undefined,
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}
