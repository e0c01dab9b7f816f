import type { FrameworkId } from '../api/types';
import type { paths } from '../api/schema';

/** A spelling the API's routes take (`semantic-kernel`, and the stored `semantic_kernel`). */
export type FrameworkSlug =
  paths['/api/chat/{framework}']['post']['parameters']['path']['framework'];

export interface FrameworkInfo {
  id: FrameworkId;
  /** The URL spelling the API's routes use. */
  slug: FrameworkSlug;
  label: string;
  short: string;
  description: string;
  /** Tailwind classes: selected picker button / badge. */
  solid: string;
  badge: string;
  color: string;
}

/**
 * How the app shows each framework, keyed by the API's own list (FrameworkId, from the OpenAPI
 * document): after a framework is added and `npm run web:api-types` runs, the type-check asks
 * for its entry here. In display order.
 */
const BY_ID: Record<FrameworkId, Omit<FrameworkInfo, 'id'>> = {
  semantic_kernel: {
    slug: 'semantic-kernel',
    label: 'Semantic Kernel',
    short: 'SK',
    description: 'Kernel with a semantic story function',
    solid: 'bg-blue-600 text-white border-blue-600',
    badge: 'bg-blue-100 text-blue-800',
    color: '#2563eb',
  },
  langchain: {
    slug: 'langchain',
    label: 'LangChain',
    short: 'LangChain',
    description: 'Prompt → model → parser chain',
    solid: 'bg-green-600 text-white border-green-600',
    badge: 'bg-green-100 text-green-800',
    color: '#16a34a',
  },
  langgraph: {
    slug: 'langgraph',
    label: 'LangGraph',
    short: 'LangGraph',
    description: 'Draft → editor graph (two calls)',
    solid: 'bg-purple-600 text-white border-purple-600',
    badge: 'bg-purple-100 text-purple-800',
    color: '#9333ea',
  },
};

const isFrameworkId = (v: string): v is FrameworkId =>
  Object.prototype.hasOwnProperty.call(BY_ID, v);

export const FRAMEWORKS: FrameworkInfo[] = Object.keys(BY_ID)
  .filter(isFrameworkId)
  .map((id) => ({ id, ...BY_ID[id] }));

/** Accepts any spelling the API uses (`semantic-kernel`, `semantic_kernel`, `Semantic Kernel`). */
export function frameworkInfo(value: string | null | undefined): FrameworkInfo | undefined {
  if (!value) return undefined;
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, '_');
  return FRAMEWORKS.find((f) => f.id === v);
}

export function frameworkLabel(value: string | null | undefined): string {
  return frameworkInfo(value)?.label ?? value ?? 'Unknown';
}
