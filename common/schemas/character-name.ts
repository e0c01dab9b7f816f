import { z } from 'zod';

/**
 * Character names: NFKC-normalised, control characters removed, trimmed, then checked against
 * an allow-list. Unlike the original (which HTML-escaped *before* the allow-list and so
 * rejected "O'Brien", "José" and "Elf #1"), we validate the raw text and never escape on the
 * way in: output is escaped where it is rendered, and the database takes parameters.
 */
export const NAME_ALLOWED = /^[\p{L}\p{M}\p{N}\s\-'’.,!?#&()":;/@+]+$/u;
const HAS_ALNUM = /[\p{L}\p{N}]/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function sanitizeName(raw: string): string {
  return raw.normalize('NFKC').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

export function characterName(label: string, min = 1, max = 100) {
  return z
    .string({ error: `${label} is required and must be a string` })
    .transform(sanitizeName)
    .pipe(
      z
        .string()
        .min(min, { error: `${label} must be at least ${min} character(s) long` })
        .max(max, { error: `${label} must be at most ${max} characters long` })
        .refine((v) => HAS_ALNUM.test(v), {
          error: `${label} must contain at least one letter or digit`,
        })
        .refine((v) => NAME_ALLOWED.test(v), {
          error: `${label} contains characters that are not allowed: use letters, digits, spaces and - ' . , ! ? # & ( ) " : ; / @ +`,
        }),
    )
    // The bounds in the OpenAPI document too (a transform hides them), where the web app reads them.
    .meta({ minLength: min, maxLength: max });
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
