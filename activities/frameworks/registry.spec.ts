import { ApplicationFailure } from '@temporalio/common';
import {
  FRAMEWORK_CATALOG,
  FRAMEWORKS,
  FRAMEWORK_SPELLINGS_IN_WORDS,
  normalizeFramework,
  UNKNOWN_FRAMEWORK,
} from '../../common/frameworks';
import { REGISTRY_WITH_ECHO } from '../../test/fixtures/frameworks/registry';
import { activitiesPerFramework, FRAMEWORK_REGISTRY, frameworkImpl } from './registry';

describe('framework catalog and registry', () => {
  it('pairs every framework with its own info', () => {
    for (const f of FRAMEWORKS) expect(FRAMEWORK_REGISTRY[f].info).toBe(FRAMEWORK_CATALOG[f]);
  });

  it('names every activity once, and every spelling once', () => {
    const names = FRAMEWORKS.flatMap((f) => [
      FRAMEWORK_CATALOG[f].story.activity,
      FRAMEWORK_CATALOG[f].chat.activity,
    ]);
    expect(new Set(names).size).toBe(names.length);
    const slugs = FRAMEWORKS.map((f) => FRAMEWORK_CATALOG[f].slug);
    expect(slugs.map(normalizeFramework)).toEqual(FRAMEWORKS);
  });

  it('keeps the activity types recorded histories replay against', () => {
    expect(
      FRAMEWORKS.map((f) => [
        f,
        FRAMEWORK_CATALOG[f].story.activity,
        FRAMEWORK_CATALOG[f].chat.activity,
      ]),
    ).toEqual([
      ['semantic_kernel', 'generateSemanticKernel', 'chatReplySemanticKernel'],
      ['langchain', 'generateLangChain', 'chatReplyLangChain'],
      ['langgraph', 'generateLangGraph', 'chatReplyLangGraph'],
    ]);
    // storyWorkflow sizes the graph activity's timeouts by it: draft + 3 x (critique, revise) + critique.
    expect(FRAMEWORK_CATALOG.langgraph.story.calls()).toHaveLength(8);
    expect(FRAMEWORK_SPELLINGS_IN_WORDS).toBe(
      'semantic-kernel (or semantic_kernel), langchain or langgraph',
    );
  });

  it("registers one activity per framework under its info's name, fixtures included", () => {
    const story = activitiesPerFramework(REGISTRY_WITH_ECHO, 'story', (f) => f.info.label);
    expect(story).toEqual({
      generateSemanticKernel: 'Semantic Kernel',
      generateLangChain: 'LangChain',
      generateLangGraph: 'LangGraph',
      generateEcho: 'Echo',
    });
  });

  it('refuses a registry that lacks a framework of the catalog', () => {
    const { langgraph: _left, ...partial } = FRAMEWORK_REGISTRY;
    expect(() =>
      activitiesPerFramework({ ...partial, langgraph: REGISTRY_WITH_ECHO.echo }, 'chat', () => 1),
    ).toThrow(/every framework of the catalog/);
  });

  it('fails an unknown framework without retries', () => {
    expect(frameworkImpl(REGISTRY_WITH_ECHO, 'echo').info.label).toBe('Echo');
    let failure: unknown;
    try {
      frameworkImpl(FRAMEWORK_REGISTRY, 'echo');
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: UNKNOWN_FRAMEWORK, nonRetryable: true });
  });
});
