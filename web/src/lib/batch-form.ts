import type { CreateBatchInput } from '../api/batches';
import { LIMITS } from './limits';
import type { FrameworkId } from '../api/types';

export interface BatchFormValues {
  label: string;
  mode: 'pairs' | 'generate';
  pairsText: string;
  count: string;
  primaryNames: string;
  secondaryNames: string;
  frameworks: FrameworkId[];
  concurrency: string;
  budget: string;
}

export type BatchFormErrors = Partial<Record<keyof BatchFormValues, string>>;

const names = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** One pair per line: "Alice, Bob", "Alice & Bob", "Alice | Bob" or "Alice<TAB>Bob". */
export function parsePairs(text: string): {
  pairs: { primaryCharacter: string; secondaryCharacter: string }[];
  badLines: number[];
} {
  const pairs: { primaryCharacter: string; secondaryCharacter: string }[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const parts = line
      .split(/\s*(?:\||&|\t|,)\s*/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (parts.length !== 2) badLines.push(i + 1);
    else pairs.push({ primaryCharacter: parts[0]!, secondaryCharacter: parts[1]! });
  });
  return { pairs, badLines };
}

/** What the server would answer to a batch this large (its bound is in the OpenAPI document). */
export function tooManyItems(items: number): string | undefined {
  return items > LIMITS.batchItems
    ? `A batch holds at most ${LIMITS.batchItems.toLocaleString()} items (pairs × frameworks); this one has ${items.toLocaleString()}`
    : undefined;
}

/** Checks the form; returns the request body or the errors per field. */
export function buildBatchRequest(v: BatchFormValues): {
  body?: CreateBatchInput;
  errors: BatchFormErrors;
  items: number;
} {
  const errors: BatchFormErrors = {};
  let source: Pick<CreateBatchInput, 'items' | 'generate'> | undefined;
  let pairs = 0;
  if (v.mode === 'pairs') {
    const { pairs: list, badLines } = parsePairs(v.pairsText);
    if (badLines.length)
      errors.pairsText = `Line${badLines.length > 1 ? 's' : ''} ${badLines.slice(0, 5).join(', ')}: write two names per line, e.g. "Alice, Bob"`;
    else if (list.length === 0) errors.pairsText = 'Add at least one pair';
    else if (
      list.some((p) => p.primaryCharacter.toLowerCase() === p.secondaryCharacter.toLowerCase())
    )
      errors.pairsText = 'The two characters of a pair must be different';
    source = { items: list };
    pairs = list.length;
  } else {
    const count = Number(v.count);
    const primary = names(v.primaryNames);
    const secondary = names(v.secondaryNames);
    if (!Number.isInteger(count) || count < 1) errors.count = 'A whole number of pairs, at least 1';
    if (primary.length === 0) errors.primaryNames = 'At least one name';
    else if (primary.length > LIMITS.batchNames)
      errors.primaryNames = `At most ${LIMITS.batchNames.toLocaleString()} names`;
    if (secondary.length === 0) errors.secondaryNames = 'At least one name';
    else if (secondary.length > LIMITS.batchNames)
      errors.secondaryNames = `At most ${LIMITS.batchNames.toLocaleString()} names`;
    else if (primary.some((p) => secondary.every((s) => s.toLowerCase() === p.toLowerCase())))
      errors.secondaryNames = 'Every primary name needs a different secondary name';
    source = { generate: { count, primaryNames: primary, secondaryNames: secondary } };
    pairs = Number.isInteger(count) && count > 0 ? count : 0;
  }
  if (v.frameworks.length === 0) errors.frameworks = 'Pick at least one framework';
  const concurrency = Number(v.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > LIMITS.batchConcurrency)
    errors.concurrency = `From 1 to ${LIMITS.batchConcurrency}`;
  const budget = v.budget.trim();
  if (budget && !(Number(budget) > 0))
    errors.budget = 'A positive amount in USD, or leave empty for no cap';
  const items = pairs * v.frameworks.length;
  const tooMany = tooManyItems(items);
  if (tooMany) errors[v.mode === 'pairs' ? 'pairsText' : 'count'] = tooMany;
  if (Object.keys(errors).length > 0 || !source) return { errors, items };
  return {
    errors,
    items,
    body: {
      ...source,
      frameworks: v.frameworks,
      concurrency,
      ...(budget ? { budgetUsd: Number(budget).toFixed(6) } : {}),
      ...(v.label.trim() ? { label: v.label.trim() } : {}),
    },
  };
}
