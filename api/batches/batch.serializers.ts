import type { BatchSpec } from '../../common/batch-items';
import { batchSize } from '../../common/batch-items';
import type { BatchProgress, BatchReport } from '../../common/batch-types';
import { FRAMEWORK_LABELS } from '../../common/frameworks';
import { excessUsd, usd, ZERO_USD } from '../../common/money';
import {
  BATCH_STATES,
  type BatchListItem,
  type BatchSpecSummary,
} from '../../common/schemas/batch-responses';
import type { Batch } from '../../prisma/client';

export function parseSpec(row: Pick<Batch, 'spec'>): BatchSpec {
  return JSON.parse(row.spec) as BatchSpec;
}

/** Reservation and overshoot of a batch that reports neither (closed before budget reservations). */
function budgetFields(
  costUsd: string,
  budgetUsd: string | null,
): Pick<BatchProgress, 'reservedUsd' | 'overshootUsd'> {
  return {
    reservedUsd: ZERO_USD,
    overshootUsd: budgetUsd === null ? ZERO_USD : excessUsd(costUsd, budgetUsd),
  };
}

export function parseReport(row: Pick<Batch, 'report'>): BatchReport | null {
  if (!row.report) return null;
  const report = JSON.parse(row.report) as BatchReport;
  return { ...budgetFields(report.costUsd, report.budgetUsd), ...report };
}

/** What a spec asks for, without the (possibly long) list of pairs. */
export function specSummary(spec: BatchSpec): BatchSpecSummary {
  return {
    source: spec.source.kind,
    pairs: spec.source.kind === 'pairs' ? spec.source.pairs.length : spec.source.count,
    frameworks: spec.frameworks,
    totalItems: batchSize(spec),
    concurrency: spec.concurrency,
    budgetUsd: spec.budgetUsd ?? null,
    continueAsNewAfter: spec.continueAsNewAfter ?? null,
    label: spec.label ?? null,
    // Batches started before item modes existed ran their items as child runs.
    itemMode: spec.itemMode ?? 'workflow',
  };
}

/** One-line summary shown on the run in the Temporal UI. */
export function batchSummaryLine(spec: BatchSpec, origin: string): string {
  const fw = spec.frameworks.map((f) => FRAMEWORK_LABELS[f]).join(', ');
  const budget = spec.budgetUsd !== undefined ? `, budget $${spec.budgetUsd}` : '';
  const label = spec.label ? `${spec.label}: ` : '';
  return `${label}batch of ${batchSize(spec)} stories (${fw}), window ${spec.concurrency}${budget} (${origin})`;
}

/** Progress from the row's counters, for a batch whose workflow cannot be queried. */
export function rowProgress(row: Batch): BatchProgress {
  const report = parseReport(row);
  if (report) return report;
  const state = BATCH_STATES.find((s) => s === row.status) ?? 'running';
  return {
    batchId: row.id,
    state,
    stopReason: (row.stopReason as BatchProgress['stopReason']) ?? null,
    total: row.totalItems,
    completed: row.completed,
    failed: row.failed,
    cancelled: row.cancelled,
    running: 0,
    pending: Math.max(0, row.totalItems - row.completed - row.failed - row.cancelled),
    costUsd: usd(row.spentUsd.toString()),
    totalTokens: row.totalTokens,
    budgetUsd: row.budgetUsd === null ? null : usd(row.budgetUsd.toString()),
    ...budgetFields(
      usd(row.spentUsd.toString()),
      row.budgetUsd === null ? null : usd(row.budgetUsd.toString()),
    ),
    concurrency: row.concurrency,
    etaSeconds: null,
    runs: 1,
    startedAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function batchListItem(row: Batch): BatchListItem {
  return {
    batchId: row.id,
    status: row.status,
    totalItems: row.totalItems,
    completed: row.completed,
    failed: row.failed,
    cancelled: row.cancelled,
    concurrency: row.concurrency,
    budgetUsd: row.budgetUsd === null ? null : usd(row.budgetUsd.toString()),
    spentUsd: usd(row.spentUsd.toString()),
    totalTokens: row.totalTokens,
    stopReason: row.stopReason,
    origin: row.origin,
    label: parseSpec(row).label ?? null,
    transactionGuid: row.correlationId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    links: {
      self: `/api/batches/${encodeURIComponent(row.id)}`,
      run: `/api/runs/${encodeURIComponent(row.id)}`,
    },
  };
}
