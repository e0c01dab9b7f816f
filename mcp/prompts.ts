import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { characterName } from '../common/schemas/character-name';

/**
 * The original server's six prompts: same names, parameters and defaults, each asking for the
 * same elements. Defaults live in the handlers (optional arguments) because MCP clients learn
 * `required` from the schema, and a zod default would be reported as required.
 */

const user = (...texts: string[]): GetPromptResult => ({
  messages: texts.map((text) => ({
    role: 'user' as const,
    content: { type: 'text' as const, text },
  })),
});

/**
 * Prompt arguments are checked like the story tools' arguments: characters with the same
 * character-name schema (and two characters must differ), settings with the same allow-list at
 * a setting's length. A refused argument is a -32602 naming it.
 */
const SETTING_MAX = 200;
const arg = (name: string, description: string) => characterName(name).describe(description);
const opt = (name: string, description: string, def: string) =>
  characterName(name, 1, SETTING_MAX).optional().describe(`${description} (default: "${def}")`);

/** The prompt's two characters, which must differ (as a story's do). */
function pair(first: [string, string], second: [string, string]): void {
  if (first[1].toLowerCase() === second[1].toLowerCase()) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Invalid arguments: ${second[0]} must differ from ${first[0]}`,
    );
  }
}

export const PROMPT_DEFAULTS = {
  setting: 'enchanted forest',
  location: 'old mansion',
  technology: 'time travel',
  artifact: 'Crystal of Power',
  situation: 'cooking competition',
} as const;

export const STORY_IDEAS = [
  'A time traveler changes one small event in history and must live with the large consequences',
  'Two rival chefs have to cooperate to keep their restaurant from closing',
  'A child learns that their imaginary friend really comes from another dimension',
  'An AI begins to feel emotions and has to find its way through human relationships',
  'A retired superhero is pulled back into action by a threat nobody saw coming',
  "Two strangers wake up with each other's abilities and must track each other down",
  'A librarian finds out that some of the books on the shelves are portals to other worlds',
  'A ghost and a living person share an apartment and solve mysteries together',
];

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'classic_adventure_story',
    {
      title: 'Classic adventure story',
      description:
        'A classic adventure story prompt with two characters (tags: story, adventure, creative)',
      argsSchema: {
        primary_character: arg('primary_character', 'The hero of the story'),
        secondary_character: arg('secondary_character', 'The companion who travels with the hero'),
        setting: opt('setting', 'Where the story takes place', PROMPT_DEFAULTS.setting),
      },
    },
    ({ primary_character, secondary_character, setting }) => {
      pair(['primary_character', primary_character], ['secondary_character', secondary_character]);
      return user(
        `Write an adventure story in which ${primary_character} is the hero and ${secondary_character} the companion. ` +
          `Setting: ${setting ?? PROMPT_DEFAULTS.setting}. Weave in a mystery, the friendship between the two and how ` +
          `they grow along the way. Keep it suitable for readers of all ages, with vivid scenes and dialogue.`,
      );
    },
  );

  server.registerPrompt(
    'mystery_story',
    {
      title: 'Mystery story',
      description: 'A mystery story prompt with an investigation (tags: story, mystery, detective)',
      argsSchema: {
        detective: arg('detective', 'The detective who investigates'),
        suspect: arg('suspect', 'The mysterious figure at the centre of the case'),
        location: opt('location', 'Where the mystery happens', PROMPT_DEFAULTS.location),
      },
    },
    ({ detective, suspect, location }) => {
      pair(['detective', detective], ['suspect', suspect]);
      return user(
        `Write a mystery story in which ${detective} investigates a baffling case involving ${suspect}. ` +
          `Location: ${location ?? PROMPT_DEFAULTS.location}. Plant clues and red herrings, build suspense, stay ` +
          `logically consistent, and end with a surprising revelation.`,
      );
    },
  );

  server.registerPrompt(
    'sci_fi_story',
    {
      title: 'Science fiction story',
      description: 'A science fiction story prompt (tags: story, sci-fi, futuristic)',
      argsSchema: {
        protagonist: arg('protagonist', 'The main character'),
        companion: arg('companion', 'A companion or crew member'),
        technology: opt(
          'technology',
          'The technology or idea the story turns on',
          PROMPT_DEFAULTS.technology,
        ),
      },
    },
    ({ protagonist, companion, technology }) => {
      pair(['protagonist', protagonist], ['companion', companion]);
      return user(
        `Write a science fiction story about ${protagonist} and ${companion} built around ` +
          `${technology ?? PROMPT_DEFAULTS.technology}. Explore what it means for people, with futuristic detail, ` +
          `an ethical dilemma and an imaginative world.`,
      );
    },
  );

  server.registerPrompt(
    'fantasy_quest_story',
    {
      title: 'Fantasy quest story',
      description: 'A fantasy quest story prompt (tags: story, fantasy, quest, magic)',
      argsSchema: {
        hero: arg('hero', 'The hero of the quest'),
        mentor: arg('mentor', 'The wise mentor who guides the hero'),
        artifact: opt('artifact', 'The magical object the quest is for', PROMPT_DEFAULTS.artifact),
      },
    },
    ({ hero, mentor, artifact }) => {
      pair(['hero', hero], ['mentor', mentor]);
      return user(
        `Write an epic fantasy quest in which ${hero}, guided by the wise ${mentor}, sets out to find the legendary ` +
          `${artifact ?? PROMPT_DEFAULTS.artifact}. Include magical creatures, hard trials and the way the hero is ` +
          `changed by the journey.`,
      );
    },
  );

  server.registerPrompt(
    'comedy_story',
    {
      title: 'Comedy story',
      description: 'A humorous story prompt (tags: story, comedy, humor)',
      argsSchema: {
        character1: arg('character1', 'The first comic character'),
        character2: arg('character2', 'The second comic character'),
        situation: opt('situation', 'The situation they get into', PROMPT_DEFAULTS.situation),
      },
    },
    ({ character1, character2, situation }) => {
      pair(['character1', character1], ['character2', character2]);
      return user(
        `Write a funny story about ${character1} and ${character2}, who get caught up in this situation: ` +
          `${situation ?? PROMPT_DEFAULTS.situation}. Use misunderstandings, slapstick and witty dialogue, and give ` +
          `it a surprisingly warm ending.`,
      );
    },
  );

  server.registerPrompt(
    'story_prompt_list',
    {
      title: 'Story ideas',
      description:
        'Eight creative story ideas across genres, one message each (tags: story, prompts, ideas)',
    },
    () => user(...STORY_IDEAS),
  );
}
