import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { batchSize } from '../../common/batch-items';
import type { AppConfig } from '../../common/config';
import { parseEvery } from '../../common/schemas/every';
import type { ScheduleRequest } from '../../common/schemas/schedule';
import type {
  ScheduleDetail,
  ScheduleListItem,
  ScheduleTriggered,
} from '../../common/schemas/schedule-responses';
import { batchWorkflow } from '../../workflows/batch.workflow';
import { BatchesService } from '../batches/batches.service';
import { batchSummaryLine } from '../batches/batch.serializers';
import { ApiError, notFound } from '../http/api-error';
import { CONFIG, TEMPORAL } from '../core/tokens';

/** Marks schedules made here, so the list shows ours and not every schedule of the namespace. */
const KIND = 'quillflow-batch';

interface ScheduleMemo {
  kind: string;
  cron?: string;
  every?: string;
  label?: string;
  totalItems?: number;
}

/**
 * Recurring batches as Temporal Schedules. Each action starts batchWorkflow with Origin=schedule;
 * the schedule appends the fire time to the workflow ID (`batch-<scheduleId>-<time>`), so every
 * run is its own batch. Overlap policy SKIP: a batch still running when the next fire comes due
 * is not doubled.
 */
@Injectable()
export class SchedulesService {
  constructor(
    @Inject(TEMPORAL) private readonly client: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly batches: BatchesService,
  ) {}

  async create(req: ScheduleRequest): Promise<ScheduleDetail> {
    const scheduleId = req.scheduleId ?? `sched-${crypto.randomUUID()}`;
    const spec = this.batches.specFrom(req.batch);
    this.batches.assertItemsBounded(spec);
    const input = this.batches.workflowInput(spec, 'schedule');
    const memo: ScheduleMemo = {
      kind: KIND,
      ...(req.cron ? { cron: req.cron } : { every: req.every }),
      ...(spec.label ? { label: spec.label } : {}),
      totalItems: batchSize(spec),
    };
    try {
      await this.client.schedule.create({
        scheduleId,
        spec: req.cron
          ? { cronExpressions: [req.cron] }
          : { intervals: [{ every: parseEvery(req.every!)! }] },
        action: {
          type: 'startWorkflow',
          workflowType: batchWorkflow,
          workflowId: `batch-${scheduleId}`,
          taskQueue: this.config.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          typedSearchAttributes: this.batches.searchAttributes('schedule', input.correlationId),
          memo: { transactionGuid: input.correlationId, scheduleId },
          staticSummary: batchSummaryLine(spec, 'schedule'),
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        state: { paused: req.paused ?? false, note: req.note },
        memo: memo as unknown as Record<string, unknown>,
      });
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'ScheduleExists',
          `A schedule with ID ${scheduleId} exists already`,
        );
      }
      // The schedule client reports a spec Temporal's parser refused as a TypeError (the API's
      // own pattern should have caught it first): still the caller's cron, never a 500.
      if (err instanceof TypeError && req.cron !== undefined) {
        throw new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'InvalidSchedule',
          `cron was refused by Temporal: ${err.message}`,
          'INVALID_SCHEDULE',
          [{ field: 'body -> cron', message: err.message, type: 'invalid_format' }],
        );
      }
      if ((err as { code?: number }).code === 3 || /invalid/i.test((err as Error).message)) {
        throw new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'InvalidSchedule',
          `Temporal refused the schedule: ${(err as Error).message}`,
        );
      }
      throw err;
    }
    return this.get(scheduleId);
  }

  /** Our schedules (listing is eventually consistent: a new one may take a moment to appear). */
  async list(): Promise<{ schedules: ScheduleListItem[] }> {
    const out: ScheduleListItem[] = [];
    for await (const s of this.client.schedule.list()) {
      const memo = (s.memo ?? {}) as Partial<ScheduleMemo>;
      if (memo.kind !== KIND) continue;
      out.push({
        scheduleId: s.scheduleId,
        cron: memo.cron ?? null,
        every: memo.every ?? null,
        label: memo.label ?? null,
        totalItems: memo.totalItems ?? null,
        paused: s.state.paused,
        note: s.state.note ?? null,
        nextRunAt: s.info.nextActionTimes[0]?.toISOString() ?? null,
        recentBatches: s.info.recentActions.map((a) => ({
          batchId: a.action.workflow.workflowId,
          startedAt: a.takenAt.toISOString(),
        })),
        links: this.links(s.scheduleId),
      });
      if (out.length >= 1000) break;
    }
    return { schedules: out };
  }

  async get(scheduleId: string): Promise<ScheduleDetail> {
    return this.present(await this.describe(scheduleId));
  }

  async pause(scheduleId: string, note?: string): Promise<ScheduleDetail> {
    await this.describe(scheduleId);
    await this.client.schedule.getHandle(scheduleId).pause(note ?? 'paused through the API');
    return this.get(scheduleId);
  }

  async unpause(scheduleId: string, note?: string): Promise<ScheduleDetail> {
    await this.describe(scheduleId);
    await this.client.schedule.getHandle(scheduleId).unpause(note ?? 'unpaused through the API');
    return this.get(scheduleId);
  }

  /** Starts a batch now, whatever the schedule's times. */
  async trigger(scheduleId: string): Promise<ScheduleTriggered> {
    await this.describe(scheduleId);
    await this.client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    return { scheduleId, triggered: true, links: this.links(scheduleId) };
  }

  async delete(scheduleId: string): Promise<void> {
    await this.describe(scheduleId);
    await this.client.schedule.getHandle(scheduleId).delete();
  }

  private async describe(scheduleId: string): Promise<ScheduleDescription> {
    try {
      const d = await this.client.schedule.getHandle(scheduleId).describe();
      if ((d.memo as Partial<ScheduleMemo> | undefined)?.kind !== KIND) throw notFound('Schedule');
      return d;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw notFound('Schedule');
      throw err;
    }
  }

  private present(d: ScheduleDescription): ScheduleDetail {
    const memo = (d.memo ?? {}) as Partial<ScheduleMemo>;
    return {
      scheduleId: d.scheduleId,
      cron: memo.cron ?? null,
      every: memo.every ?? null,
      label: memo.label ?? null,
      totalItems: memo.totalItems ?? null,
      paused: d.state.paused,
      note: d.state.note ?? null,
      overlap: d.policies.overlap,
      nextRunAt: d.info.nextActionTimes[0]?.toISOString() ?? null,
      actionsTaken: d.info.numActionsTaken,
      runningBatches: d.info.runningActions.map((a) => a.workflow.workflowId),
      recentBatches: d.info.recentActions.map((a) => ({
        batchId: a.action.workflow.workflowId,
        startedAt: a.takenAt.toISOString(),
      })),
      createdAt: d.info.createdAt.toISOString(),
      links: this.links(d.scheduleId),
    };
  }

  private links(scheduleId: string) {
    const id = encodeURIComponent(scheduleId);
    return { self: `/api/schedules/${id}`, batches: `/api/runs?type=batch&origin=schedule` };
  }
}
