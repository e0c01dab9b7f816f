import { escapeLike, nameMatches, sqliteCandidatePattern } from './story-search';

describe('character search helpers', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('100% Elf_1')).toBe('100\\% Elf\\_1');
    expect(escapeLike('a\\b')).toBe('a\\\\b');
    expect(escapeLike('plain')).toBe('plain');
  });

  it('turns non-ASCII characters into single-character wildcards for SQLite', () => {
    expect(sqliteCandidatePattern('José')).toBe('%Jos_%');
    expect(sqliteCandidatePattern('50%')).toBe('%50\\%%');
    // One code point, one `_`, even outside the BMP.
    expect(sqliteCandidatePattern('a😀b')).toBe('%a_b%');
  });

  it('matches case-insensitively, including accented letters, on either name', () => {
    expect(nameMatches('josé', 'JOSÉ', 'Bob')).toBe(true);
    expect(nameMatches('ÉBÈ', 'Alice', 'ébène')).toBe(true);
    expect(nameMatches('jose', 'José', 'Bob')).toBe(false);
    expect(nameMatches('100%', '100% Elf', 'x')).toBe(true);
  });
});
