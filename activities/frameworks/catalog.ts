import { LANGCHAIN } from './langchain/info';
import { LANGGRAPH } from './langgraph/info';
import { SEMANTIC_KERNEL } from './semantic-kernel/info';

/**
 * Every framework, keyed by the id records store, in the order lists show them. Pure data:
 * workflow code reads it (through common/frameworks.ts). Adding a framework: its folder, a line
 * here, and the line registry.ts then requires (see docs/DEVELOPING.md).
 */
export const FRAMEWORK_CATALOG = {
  semantic_kernel: SEMANTIC_KERNEL,
  langchain: LANGCHAIN,
  langgraph: LANGGRAPH,
};
