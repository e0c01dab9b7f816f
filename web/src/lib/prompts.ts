/** Default prompts of the Context page (the original's systemPrompt.txt / userPrompt.txt). */
export const DEFAULT_SYSTEM_PROMPT = `You are a careful analysis assistant. You will be given the contents of one or more files as context.

Context:
[context]

Answer strictly from the context above. If the information needed is not in the context, say so plainly instead of guessing. When you use a part of the context, cite it (for example by file name and section or row).`;

export const DEFAULT_USER_PROMPT = `Summarize the key points of the provided files. List the important details (names, numbers, dates), describe how the content is structured, and point out any relationships or patterns between the parts.`;

export const CONTEXT_PLACEHOLDER = '[context]';

export const ACCEPTED_CONTEXT_FILES = '.txt,.md,.csv,.json,.pdf';
