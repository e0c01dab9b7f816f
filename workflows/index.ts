// Every workflow type the worker registers. Workflow code is bundled and replayed: keep these
// files free of I/O and Node built-ins (enforced by ESLint).
// Their inputs, results and messages are in the *.definitions.ts beside each.
export { storyWorkflow } from './story.workflow';
export { contextWorkflow } from './context.workflow';
export { chatWorkflow } from './chat.workflow';
export { batchWorkflow } from './batch.workflow';
