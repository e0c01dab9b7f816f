import { z } from 'zod';

/** `?days=` of the cost analytics routes: a whole number of days, 1..365 (default 30). */
export const costDaysQuerySchema = z.object({
  days: z.coerce
    .number({ error: 'days must be a whole number from 1 to 365' })
    .int({ error: 'days must be a whole number from 1 to 365' })
    .min(1, { error: 'days must be at least 1' })
    .max(365, { error: 'days must be at most 365' })
    .default(30),
});
export type CostDaysQuery = z.output<typeof costDaysQuerySchema>;
