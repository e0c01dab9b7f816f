import { api, send } from './client';
import type { CostQuery } from './types';

/** Usage over `from`..`to` (whole UTC days, both included) or the last `days` days. */
export const getCostUsage = (range: CostQuery) =>
  send(api.GET('/api/cost/usage', { params: { query: range } }));

export const getTransactions = (range: CostQuery) =>
  send(api.GET('/api/cost/transactions', { params: { query: range } }));

export const clearCostRecords = () => send(api.DELETE('/api/cost/usage'));
