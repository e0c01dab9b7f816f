import { batchSize, generatedPair, itemAt, itemWorkflowId } from './batch-items';

describe('batch items by index', () => {
  const gen = {
    source: {
      kind: 'generate' as const,
      count: 5,
      primaryNames: ['Ann', 'Bob'],
      secondaryNames: ['Bob', 'Cy'],
    },
    frameworks: ['langchain', 'langgraph'] as const,
  };

  it('pairs x frameworks, the frameworks of a pair side by side', () => {
    const spec = { ...gen, frameworks: [...gen.frameworks] };
    expect(batchSize(spec)).toBe(10);
    expect(itemAt(spec, 0)).toEqual({
      index: 0,
      framework: 'langchain',
      primaryCharacter: 'Ann',
      secondaryCharacter: 'Bob',
    });
    expect(itemAt(spec, 1)).toEqual({
      index: 1,
      framework: 'langgraph',
      primaryCharacter: 'Ann',
      secondaryCharacter: 'Bob',
    });
    expect(() => itemAt(spec, 10)).toThrow(RangeError);
  });

  it('generates deterministically and never pairs a name with itself', () => {
    const pairs = Array.from({ length: 8 }, (_, k) =>
      generatedPair(['Ann', 'Bob'], ['Bob', 'Cy'], k),
    );
    expect(pairs.map((p) => `${p.primaryCharacter}+${p.secondaryCharacter}`)).toEqual([
      'Ann+Bob',
      'Bob+Cy',
      'Ann+Cy',
      'Bob+Cy',
      'Ann+Bob',
      'Bob+Cy',
      'Ann+Cy',
      'Bob+Cy',
    ]);
    expect(generatedPair(['Ann', 'Bob'], ['Bob', 'Cy'], 12345)).toEqual(
      generatedPair(['Ann', 'Bob'], ['Bob', 'Cy'], 12345),
    );
  });

  it('explicit pairs and item ids', () => {
    const spec = {
      source: {
        kind: 'pairs' as const,
        pairs: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }],
      },
      frameworks: ['semantic_kernel' as const],
    };
    expect(itemAt(spec, 0)).toMatchObject({ primaryCharacter: 'A', framework: 'semantic_kernel' });
    expect(itemWorkflowId('batch-1', 7)).toBe('batch-1/item-7');
  });
});
