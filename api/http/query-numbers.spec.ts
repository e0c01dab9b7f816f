import { z } from 'zod';
import { auditQuerySchema } from '../../common/schemas/audit';
import { costQuerySchema } from '../../common/schemas/cost';
import { paginationSchema } from '../../common/schemas/story';
import { entriesQuery } from '../logs/logs.controller';
import { runFiltersSchema } from '../runs/visibility-query';
import { ApiError } from './api-error';
import { coercedNumberFields, nonDecimalNumbers } from './query-numbers';
import { ZodPipe } from './zod.pipe';

describe('query numbers', () => {
  it('finds the coerced number fields of the query schemas', () => {
    expect(coercedNumberFields(paginationSchema(50))).toEqual(['skip', 'limit']);
    expect(coercedNumberFields(costQuerySchema)).toEqual(['days']);
    expect(coercedNumberFields(auditQuerySchema)).toEqual(
      expect.arrayContaining(['skip', 'limit']),
    );
    expect(coercedNumberFields(entriesQuery)).toEqual(['page', 'per_page']);
    expect(coercedNumberFields(runFiltersSchema)).toContain('pageSize');
    expect(coercedNumberFields(z.object({ q: z.string(), n: z.number() }))).toEqual([]);
  });

  it.each(['0x1F', '1e2', '', ' ', '12abc', 'Infinity', '1_000'])(
    'refuses %j in place of a number',
    (raw) => {
      expect(nonDecimalNumbers({ days: raw }, ['days'])).toEqual(['days']);
    },
  );

  it.each(['0', '31', '-3', '2.5'])('leaves %j to the schema', (raw) => {
    expect(nonDecimalNumbers({ days: raw }, ['days'])).toEqual([]);
  });

  it('ZodPipe answers 422 naming the field, once, and still reports the other fields', () => {
    const pipe = new ZodPipe(costQuerySchema, 'query');
    expect(pipe.transform({ days: '31' })).toMatchObject({ days: 31 });
    const err = (() => {
      try {
        pipe.transform({ days: '0x1F', from: 'yesterday' });
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('accepted');
    })();
    expect(err.getStatus()).toBe(422);
    expect(err.details?.map((d) => d.field)).toEqual(['query -> days', 'query -> from']);
    expect(err.message).toContain('days must be a number written in decimal digits');
  });
});
