import { legacyStoryRequestSchema, storyRequestSchema } from './story';

describe('storyRequestSchema', () => {
  const schema = storyRequestSchema();
  it.each(["O'Brien", 'José', 'Elf #1', 'Zoë-Ann', '李小龙', "Robert'); DROP TABLE stories;--"])(
    'accepts %s',
    (name) => {
      const r = schema.safeParse({
        primaryCharacter: name,
        secondaryCharacter: 'Santa',
        framework: 'langchain',
      });
      expect(r.success).toBe(true);
    },
  );

  it('normalises spelling of the framework and trims names', () => {
    const r = schema.parse({
      primaryCharacter: '  Alice ',
      secondaryCharacter: 'Bob',
      framework: 'semantic-kernel',
    });
    expect(r).toEqual({
      primaryCharacter: 'Alice',
      secondaryCharacter: 'Bob',
      framework: 'semantic_kernel',
    });
  });

  it.each([
    [{ secondaryCharacter: 'Bob', framework: 'langchain' }, 'primaryCharacter'],
    [
      { primaryCharacter: '', secondaryCharacter: 'Bob', framework: 'langchain' },
      'primaryCharacter',
    ],
    [
      { primaryCharacter: 'x'.repeat(101), secondaryCharacter: 'Bob', framework: 'langchain' },
      'primaryCharacter',
    ],
    [
      { primaryCharacter: 'Bob', secondaryCharacter: 'BOB', framework: 'langchain' },
      'secondaryCharacter',
    ],
    [{ primaryCharacter: 'Al', secondaryCharacter: 'Bob', framework: 'crewai' }, 'framework'],
    [
      { primaryCharacter: '<script>', secondaryCharacter: 'Bob', framework: 'langchain' },
      'primaryCharacter',
    ],
    [
      { primaryCharacter: '!!!', secondaryCharacter: 'Bob', framework: 'langchain' },
      'primaryCharacter',
    ],
    [
      { primaryCharacter: 5, secondaryCharacter: 'Bob', framework: 'langchain' },
      'primaryCharacter',
    ],
  ])('rejects %j on %s', (body, field) => {
    const r = schema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('legacy schema maps snake_case and reports snake_case fields', () => {
    const legacy = legacyStoryRequestSchema();
    expect(legacy.parse({ primary_character: 'A', secondary_character: 'B' })).toEqual({
      primaryCharacter: 'A',
      secondaryCharacter: 'B',
    });
    const bad = legacy.safeParse({ primary_character: 'A', secondary_character: 'a' });
    expect(bad.error!.issues[0].path).toEqual(['secondary_character']);
  });
});
