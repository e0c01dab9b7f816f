import { Inject, Injectable } from '@nestjs/common';
import { loadPricingTable } from '../../activities/pricing-file';
import { defaultPromptsDir } from '../../activities/prompts';
import {
  type BoundedRequest,
  checkRequestBounds,
  type RequestLimits,
  requestLimits,
} from '../../activities/llm/request-bounds';
import type { AppConfig } from '../../common/config';
import { CONFIG } from './tokens';
import { requestBoundsToHttp } from './workflow-errors';

/**
 * The API's side of the request bounds (activities/llm/request-bounds.ts): checked before a
 * workflow starts or anything is written, with the limits the worker applies (same
 * configuration, same pricing table and prompt templates).
 */
@Injectable()
export class RequestBounds {
  readonly limits: RequestLimits;
  readonly promptsDir = defaultPromptsDir();

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.limits = requestLimits(config, loadPricingTable(config.env.PRICING_FILE));
  }

  fits(req: BoundedRequest): boolean {
    return checkRequestBounds(this.limits, req) === null;
  }

  /**
   * Throws 413 RequestTooLarge / 422 RequestOverCostCeiling naming the figure, the limit and the
   * fix; `status` overrides the status (a batch is 422 either way: the request itself is small).
   */
  assert(req: BoundedRequest, status?: number): void {
    const v = checkRequestBounds(this.limits, req);
    if (v) throw requestBoundsToHttp(v, status);
  }
}
