import type { BatchItemMode } from '../api/batches';

/**
 * Where the UI shows one item of a batch. A child-run item (`workflow` mode) has its own run
 * page; an `activity` item ran inside the batch's run, so its record is its audited attempts
 * (kept under the item's key, `<batchId>/item-<n>`).
 */
export function batchItemLink(
  itemMode: BatchItemMode | undefined,
  itemKey: string,
): { to: string; label: string } {
  return itemMode === 'activity'
    ? { to: `/audit?workflowId=${encodeURIComponent(itemKey)}`, label: 'Attempts' }
    : { to: `/runs/${encodeURIComponent(itemKey)}`, label: 'View run' };
}
