import { api, send } from './client';
import type { CostUsage, DeletedCount, TransactionList } from './types';

export const getCostUsage = (days: number) =>
  send<CostUsage>(api.GET('/api/cost/usage', { params: { query: { days } } }));

export const getTransactions = (days: number) =>
  send<TransactionList>(api.GET('/api/cost/transactions', { params: { query: { days } } }));

export const clearCostRecords = () => send<DeletedCount>(api.DELETE('/api/cost/usage'));
