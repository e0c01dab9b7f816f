import type { ChatOpenAI } from '@langchain/openai';
import type OpenAI from 'openai';
import type { AppConfig, ProviderConfig } from '../../common/config';
import { createChatModel } from '../frameworks/langchain/model';
import { createOpenAIClient } from './provider-client';

/** One provider/model of the ordered list, with its clients (built once per process). */
export interface ProviderRoute {
  index: number;
  config: ProviderConfig;
  openai: OpenAI;
  chatModel: ChatOpenAI;
}

interface Health {
  failures: number;
  /** Out of rotation until then (epoch ms); 0 = in rotation. */
  outUntil: number;
  /** One trial call is under way after the recovery time. */
  probing: boolean;
}

/**
 * The ordered providers and which of them calls should use now. Per process: each worker learns
 * within PROVIDER_FAILOVER_AFTER failures that a provider is down, and after
 * PROVIDER_RECOVERY_SECONDS lets one call try it again; its success brings it back.
 */
export class ProviderRouter {
  readonly routes: ProviderRoute[];
  private readonly health: Health[];

  constructor(
    config: AppConfig,
    private readonly failAfter = config.env.PROVIDER_FAILOVER_AFTER,
    private readonly recoveryMs = config.env.PROVIDER_RECOVERY_SECONDS * 1000,
  ) {
    this.routes = config.providers.map((p, index) => ({
      index,
      config: p,
      openai: createOpenAIClient(config, p),
      chatModel: createChatModel(config, p),
    }));
    this.health = this.routes.map(() => ({ failures: 0, outUntil: 0, probing: false }));
  }

  /**
   * The first provider in order that is in rotation (or due a trial call) and not `tried` in this
   * call yet; when none is, the first untried one anyway (better a call than no call).
   */
  pick(tried: ReadonlySet<number>, now = Date.now()): ProviderRoute | undefined {
    for (const r of this.routes) {
      if (tried.has(r.index)) continue;
      const h = this.health[r.index];
      if (h.outUntil === 0) return r;
      if (now >= h.outUntil && !h.probing) {
        h.probing = true;
        return r;
      }
    }
    return this.routes.find((r) => !tried.has(r.index));
  }

  succeeded(r: ProviderRoute): void {
    this.health[r.index] = { failures: 0, outUntil: 0, probing: false };
  }

  /** A failure that says the provider is unwell (5xx, timeout, connection, unknown model). */
  failed(r: ProviderRoute, now = Date.now()): void {
    const h = this.health[r.index];
    h.failures++;
    if (h.probing || h.failures >= this.failAfter) h.outUntil = now + this.recoveryMs;
    h.probing = false;
  }

  /** A call that ended otherwise (429, a refused request): ends a trial without a verdict. */
  released(r: ProviderRoute): void {
    this.health[r.index].probing = false;
  }

  inRotation(r: ProviderRoute): boolean {
    return this.health[r.index].outUntil === 0;
  }
}

const routers = new WeakMap<AppConfig, ProviderRouter>();

/** The process's router for this configuration (one health record per provider per process). */
export function providerRouter(config: AppConfig): ProviderRouter {
  let r = routers.get(config);
  if (!r) routers.set(config, (r = new ProviderRouter(config)));
  return r;
}
