import { api, send } from './client';

export const getCostUsage = (days: number) =>
  send(api.GET('/api/cost/usage', { params: { query: { days } } }));

export const getTransactions = (days: number) =>
  send(api.GET('/api/cost/transactions', { params: { query: { days } } }));

export const clearCostRecords = () => send(api.DELETE('/api/cost/usage'));
