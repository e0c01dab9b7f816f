import type { z } from 'zod';

interface Def {
  type?: string;
  coerce?: boolean;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The fields of an object schema that coerce a query string to a number (optional/default unwrapped). */
export function coercedNumberFields(schema: z.ZodType): string[] {
  const shape = defOf(schema).shape;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([name, field]) => {
    let d = defOf(field);
    while ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable') && d.innerType)
      d = defOf(d.innerType);
    return d.type === 'number' && d.coerce === true ? [name] : [];
  });
}

/**
 * Query numbers are written in decimal digits. `Number()`, which z.coerce.number() uses, also
 * reads "0x1F" (31), "1e2" (100), " " and "" (0): a caller's typo would pass as some other
 * number. Returns the fields whose text is not plain decimal.
 */
export function nonDecimalNumbers(
  query: Record<string, unknown>,
  fields: readonly string[],
): string[] {
  return fields.filter((f) => typeof query[f] === 'string' && !/^-?\d+(\.\d+)?$/.test(query[f]));
}
