import { SearchAttributeType } from '@temporalio/common';
import {
  SEARCH_ATTRIBUTE_CLI_SPECS,
  SEARCH_ATTRIBUTE_KEYS,
  SEARCH_ATTRIBUTES,
  toCliSearchAttributeSpec,
} from './search-attributes';

describe('search attributes', () => {
  it('lists every key once, named as its property', () => {
    expect(SEARCH_ATTRIBUTES.map((k) => k.name)).toEqual(Object.keys(SEARCH_ATTRIBUTE_KEYS));
    for (const [prop, key] of Object.entries(SEARCH_ATTRIBUTE_KEYS)) expect(key.name).toBe(prop);
  });

  it('renders the Name=Type specs the temporal CLI takes', () => {
    expect(SEARCH_ATTRIBUTE_CLI_SPECS).toEqual([
      'Framework=Keyword',
      'LlmModel=Keyword',
      'LlmProvider=Keyword',
      'Origin=Keyword',
      'BatchId=Keyword',
      'CostUsd=Double',
      'TotalTokens=Int',
      'GenerationState=Keyword',
      'CorrelationId=Keyword',
      'WorkflowKind=Keyword',
    ]);
    expect(toCliSearchAttributeSpec({ name: 'Tags', type: SearchAttributeType.KEYWORD_LIST })).toBe(
      'Tags=KeywordList',
    );
  });
});
