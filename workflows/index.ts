// Every workflow type the worker registers. Workflow code is bundled and replayed: keep these
// files free of I/O and Node built-ins (enforced by ESLint).
export { storyWorkflow, storyProgressQuery } from './story.workflow';
export { contextWorkflow, contextProgressQuery } from './context.workflow';
export { chatWorkflow, chatStateQuery, sendMessageUpdate } from './chat.workflow';
export { batchWorkflow } from './batch.workflow';
