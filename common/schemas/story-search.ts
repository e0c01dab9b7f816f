import { z } from 'zod';
import { sanitizeName } from './character-name';
import { notBlankPattern } from './well-formed';
import { paginationSchema } from './story';

/**
 * `GET /api/stories/search/characters?character=`: the term is normalised like stored names
 * (NFKC, trimmed, single spaces) so "  josé " finds "José". Paged, unlike the original, so a
 * broad term can't pull the whole table; the default page is large enough for the history view.
 */
export const characterSearchSchema = paginationSchema(100, 1000).extend({
  character: z
    .string({ error: 'character is required: the name (or part of it) to search for' })
    .refine((v) => [...v].length <= 100, { error: 'character must be at most 100 characters long' })
    // Something that normalisation keeps: not only whitespace and control characters.
    .meta({
      minLength: 1,
      maxLength: 100,
      pattern: notBlankPattern('\\u0001-\\u001f\\u007f-\\u009f'),
    })
    .transform(sanitizeName)
    .pipe(
      z
        .string()
        .min(1, { error: 'character must be at least 1 character long' })
        .max(100, { error: 'character must be at most 100 characters long' }),
    ),
});
export type CharacterSearch = z.output<typeof characterSearchSchema>;
