/**
 * The three generation frameworks. URLs use kebab-case (`semantic-kernel`), records use the
 * original's snake_case (`semantic_kernel`); both spellings are accepted everywhere so a
 * client never gets a 500 (or a split cost row) for choosing the "wrong" one.
 */
export const FRAMEWORKS = ['semantic_kernel', 'langchain', 'langgraph'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const FRAMEWORK_SLUGS: Record<Framework, string> = {
  semantic_kernel: 'semantic-kernel',
  langchain: 'langchain',
  langgraph: 'langgraph',
};

export const FRAMEWORK_LABELS: Record<Framework, string> = {
  semantic_kernel: 'Semantic Kernel',
  langchain: 'LangChain',
  langgraph: 'LangGraph',
};

/** Returns the canonical id for any accepted spelling, or undefined. */
export function normalizeFramework(value: unknown): Framework | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase().replace(/-/g, '_');
  return (FRAMEWORKS as readonly string[]).includes(v) ? (v as Framework) : undefined;
}

export const ACCEPTED_FRAMEWORK_SPELLINGS = [
  'semantic-kernel',
  'semantic_kernel',
  'langchain',
  'langgraph',
] as const;
