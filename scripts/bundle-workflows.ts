import path from 'node:path';
import { writeWorkflowBundle } from '../workers/bundle';

// Build step: a prebuilt workflow bundle lets workers start without running webpack.
writeWorkflowBundle(path.join(__dirname, '..', 'workflow-bundle.js'))
  .then((f) => console.log(`workflow bundle written: ${f}`))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
