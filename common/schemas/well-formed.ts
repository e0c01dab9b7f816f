/**
 * Text with an unpaired UTF-16 surrogate (JSON allows "\ud800") is not valid Unicode: it has no
 * UTF-8 form, so Prisma's engine and PostgreSQL refuse it (a 500 if it got that far). Free-text
 * fields are checked for it at validation, with a message that says what is wrong.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

export const notWellFormed = (field: string) => ({
  error: `${field} contains invalid Unicode (an unpaired surrogate)`,
});
