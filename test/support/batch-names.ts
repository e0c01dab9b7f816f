import type { BatchRequest } from '../../common/schemas/batch';

/** Ten first characters and ten second ones: a generated batch pairs them (100 distinct pairs). */
export const PRIMARY_NAMES = [
  'Alice',
  'Bob',
  'Carol',
  'Dave',
  'Erin',
  'Frank',
  'Grace',
  'Heidi',
  'Ivan',
  'Judy',
];
export const SECONDARY_NAMES = [
  'Mallory',
  'Niaj',
  'Olivia',
  'Peggy',
  'Rupert',
  'Sybil',
  'Trent',
  'Victor',
  'Walter',
  'Zoe',
];

/** The `generate` of a `POST /api/batches` body: `count` stories from the names above. */
export const generateFrom = (count: number): NonNullable<BatchRequest['generate']> => ({
  count,
  primaryNames: PRIMARY_NAMES,
  secondaryNames: SECONDARY_NAMES,
});
