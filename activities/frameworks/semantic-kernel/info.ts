import { defineFramework, type StoryCall } from '../../../common/framework-info';

/** The story's one call: the kernel's `WriteStory` prompt function. */
export const STORY_CALL: StoryCall = {
  step: 'story',
  system: 'semantic_kernel/story_system',
  user: 'semantic_kernel/story_user',
};

export const SEMANTIC_KERNEL = defineFramework({
  slug: 'semantic-kernel',
  label: 'Semantic Kernel',
  description: "Microsoft's Semantic Kernel framework",
  features: ['Plugin-based architecture', 'Native functions', 'Semantic functions'],
  story: { activity: 'generateSemanticKernel', shape: 'single', calls: () => [STORY_CALL] },
  chat: { activity: 'chatReplySemanticKernel', systemPrompt: 'chat/semantic_kernel' },
});
