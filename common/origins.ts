/** Where a run was started from; a search attribute and a column, so operators can filter. */
export const ORIGINS = ['api', 'mcp', 'batch', 'schedule'] as const;
export type Origin = (typeof ORIGINS)[number];
