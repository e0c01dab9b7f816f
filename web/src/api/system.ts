import { api, send } from './client';
import type { ProviderInfo, UiConfig } from './types';

export const getProvider = () => send<ProviderInfo>(api.GET('/api/provider'));
export const getUiConfig = () => send<UiConfig>(api.GET('/api/ui-config'));

/** Link to one workflow in the Temporal Web UI. */
export function temporalRunUrl(cfg: UiConfig | undefined, workflowId: string): string | undefined {
  if (!cfg?.temporalUiUrl) return undefined;
  return `${cfg.temporalUiUrl}/namespaces/${encodeURIComponent(cfg.namespace || 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}
