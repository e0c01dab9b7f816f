import { z } from 'zod';

/**
 * Character names: NFKC-normalised, control characters removed, whitespace runs made one space,
 * trimmed, then checked against an allow-list. Unlike the original (which HTML-escaped *before*
 * the allow-list and so rejected "O'Brien", "José" and "Elf #1"), we validate the raw text and
 * never escape on the way in: output is escaped where it is rendered, and the database takes
 * parameters. The normalisation is the original's (it stripped control characters too), so it
 * stays, and is documented: the name as sent is checked against RAW_NAME_PATTERN and the length
 * limits (the OpenAPI document's pattern, minLength and maxLength), then normalised.
 */
// · and ⁄ because NFKC makes them of Ŀ/ŀ and of the vulgar fractions (½ is 1⁄2), which are
// letters and digits as sent: every name the raw pattern admits stays admitted once normalised.
export const NAME_ALLOWED = /^[\p{L}\p{M}\p{N}\s\-'’.,!?#&()":;/@+\u00B7\u2044]+$/u;
const HAS_ALNUM = /[\p{L}\p{N}]/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** What a name may carry as sent: the allow-list plus control characters (removed), never NUL. */
const RAW_NAME_CHAR =
  '[\\p{L}\\p{M}\\p{N}\\s\\-\'’.,!?#&()":;/@+\\u00B7\\u2044\\u0001-\\u001F\\u007F-\\u009F]';
/** At least one letter or digit among them. */
export const RAW_NAME_PATTERN = `^${RAW_NAME_CHAR}*[\\p{L}\\p{N}]${RAW_NAME_CHAR}*$`;
const RAW_NAME = new RegExp(RAW_NAME_PATTERN, 'u');

export const NAME_NORMALISATION =
  'Stored normalised: NFKC, control characters removed, each run of whitespace made one space, trimmed';

export function sanitizeName(raw: string): string {
  return raw.normalize('NFKC').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** Length in characters (code points), as JSON Schema's minLength/maxLength count. */
const chars = (s: string) => [...s].length;

export function characterName(label: string, min = 1, max = 100) {
  const allowed = `letters, digits, spaces and - ' . , ! ? # & ( ) " : ; / @ + · ⁄`;
  return z
    .string({ error: `${label} is required and must be a string` })
    .refine((v) => chars(v) >= min, {
      error: `${label} must be at least ${min} character(s) long`,
      abort: true,
    })
    .refine((v) => chars(v) <= max, {
      error: `${label} must be at most ${max} characters long`,
      abort: true,
    })
    .refine((v) => HAS_ALNUM.test(v), {
      error: `${label} must contain at least one letter or digit`,
      abort: true,
    })
    .refine((v) => RAW_NAME.test(v), {
      error: `${label} contains characters that are not allowed: use ${allowed}`,
    })
    .meta({
      minLength: min,
      maxLength: max,
      pattern: RAW_NAME_PATTERN,
      description: `${min}-${max} characters: ${allowed} (other letters and marks too), at least one letter or digit. ${NAME_NORMALISATION}.`,
    })
    .transform(sanitizeName)
    .pipe(
      // The normalised name is checked again: NFKC can lengthen a name or change a character.
      z
        .string()
        .refine((v) => chars(v) >= min, {
          error: `${label} must be at least ${min} character(s) long once normalised`,
        })
        .refine((v) => chars(v) <= max, {
          error: `${label} must be at most ${max} characters long once normalised`,
        })
        .refine((v) => HAS_ALNUM.test(v), {
          error: `${label} must contain at least one letter or digit`,
        })
        .refine((v) => NAME_ALLOWED.test(v), {
          error: `${label} contains characters that are not allowed once normalised: use ${allowed}`,
        }),
    );
}

/** Looks like an injection attempt: logged for the security record, never blocked on its own. */
const SUSPICIOUS = [
  /(\b(select|insert|update|delete|drop|union|alter)\b.*\b(from|into|table|set|where)\b)|(--|;\s*$)/i,
  /<\s*script|javascript:|on\w+\s*=/i,
  /[`$]\(|&&|\|\|/,
];

export function isSuspicious(value: string): boolean {
  return SUSPICIOUS.some((re) => re.test(value));
}
