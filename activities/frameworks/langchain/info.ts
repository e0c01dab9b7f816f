import { defineFramework, type StoryCall } from '../../../common/framework-info';

/** The story's one call: an LCEL chain over these templates. */
export const STORY_CALL: StoryCall = {
  step: 'story',
  system: 'langchain/story_system',
  user: 'langchain/story_user',
};

export const LANGCHAIN = defineFramework({
  slug: 'langchain',
  label: 'LangChain',
  description: 'LangChain framework for LLM applications',
  features: ['Chain composition', 'Prompt templates', 'Memory management'],
  story: { activity: 'generateLangChain', shape: 'single', calls: () => [STORY_CALL] },
  chat: { activity: 'chatReplyLangChain', systemPrompt: 'chat/langchain' },
});
