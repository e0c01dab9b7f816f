import { api, send } from './client';
import type { UiConfig } from './types';

export const getProvider = () => send(api.GET('/api/provider'));
export const getUiConfig = () => send(api.GET('/api/ui-config'));

/** Link to one workflow in the Temporal Web UI. */
export function temporalRunUrl(cfg: UiConfig | undefined, workflowId: string): string | undefined {
  if (!cfg?.temporalUiUrl) return undefined;
  return `${cfg.temporalUiUrl}/namespaces/${encodeURIComponent(cfg.namespace || 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}
