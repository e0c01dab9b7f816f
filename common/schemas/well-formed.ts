/**
 * Text that cannot be stored: an unpaired UTF-16 surrogate (JSON allows "\ud800") has no UTF-8
 * form, so Prisma's engine refuses it; a NUL character cannot be held by PostgreSQL text. Either
 * would end in a 500 once it reached the database, so free-text fields refuse them at
 * validation, with a message that says which.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isWellFormedText = (s: string): boolean =>
  !LONE_SURROGATE.test(s) && !s.includes('\u0000');

export const notWellFormed = (field: string) => ({
  error: (issue: { input?: unknown }) =>
    typeof issue.input === 'string' && issue.input.includes('\u0000')
      ? `${field} contains a NUL character, which cannot be stored`
      : `${field} contains invalid Unicode (an unpaired surrogate)`,
});

/**
 * The message of a type check: "x is required" when the field is missing, "x must be <kind>"
 * when it is there with the wrong type (one message for both would misdirect the caller).
 */
export const requiredAs = (field: string, kind: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? `${field} is required` : `${field} must be ${kind}`,
});

/** The characters String.prototype.trim() removes, spelled out (a regex \s differs between engines). */
export const TRIMMED_WHITESPACE =
  '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** A pattern for text with something in it besides whitespace (and `also`), and no NUL. */
export const notBlankPattern = (also = '') =>
  `^[^\\u0000]*[^${TRIMMED_WHITESPACE}${also}\\u0000][^\\u0000]*$`;
