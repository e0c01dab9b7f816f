import { mulberry32, pick, sample, seed32 } from './prng';

// Deterministic "model output": the same messages (and seed) always give the same text, so
// tests can assert on it and benchmarks are repeatable. Character names found in the last user
// message are woven in, which is enough for Quillflow's stories to look like stories.

export interface ChatMessage {
  role: string;
  content: string;
}

/** OpenAI message content may be a string, null, or an array of typed parts. */
export function contentToText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => {
        if (typeof part === 'string') return part;
        if (part && typeof part === 'object' && 'text' in part) {
          const text = part.text;
          return typeof text === 'string' ? text : '';
        }
        return '';
      })
      .join('');
  }
  return '';
}

/** Token estimate the simulator bills with: ceil(chars / 4), the usual rule of thumb. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function promptTokens(messages: ChatMessage[]): number {
  return countTokens(messages.map((m) => m.content).join(''));
}

const CRITIQUE_MARKER = /\bCRITIQUE\b/;

/** A critique request carries the upper-case word CRITIQUE in a system or the last user message. */
export function isCritiqueRequest(messages: ChatMessage[]): boolean {
  const lastUser = lastUserMessage(messages);
  return messages.some(
    (m) =>
      (m.role === 'system' || m.role === 'developer' || m === lastUser) &&
      CRITIQUE_MARKER.test(m.content),
  );
}

function lastUserMessage(messages: ChatMessage[]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') return messages[i];
  }
  return undefined;
}

function cleanName(raw: string): string {
  return raw
    .trim()
    .replace(/^["'“”‘’*_]+|["“”*_]+$/g, '')
    .replace(/[.,;:!?]+$/, '')
    .trim();
}

/**
 * Character names in the last user message. Recognised forms, in order of trust:
 *   "Primary character: X" / "Secondary character: Y" / "Characters: X, Y" (one per line)
 *   "... featuring X and Y." / "... story about X and Y." (Quillflow's story prompts)
 *   "... named X"
 */
export function extractCharacterNames(messages: ChatMessage[]): string[] {
  const text = lastUserMessage(messages)?.content ?? '';
  const names: string[] = [];
  const add = (raw: string): void => {
    const name = cleanName(raw);
    if (name && name.length <= 100 && !names.some((n) => n.toLowerCase() === name.toLowerCase())) {
      names.push(name);
    }
  };

  const labelled =
    /^[\s\-*]*(?:primary|secondary|main|first|second|other)?\s*character(s)?\s*\d*\s*[:=]\s*(.+)$/gim;
  for (const m of text.matchAll(labelled)) {
    const value = m[2] ?? '';
    if (m[1]) value.split(/\s*(?:;|,|\band\b|&)\s*/).forEach(add);
    else add(value);
  }
  if (names.length === 0) {
    const featuring =
      /(?:featuring|story about)\s+(.{1,100}?)\s+and\s+(.{1,100}?)(?=[.!?,;:](?:\s|$)|\s*\n|\s*$)/i.exec(
        text,
      );
    if (featuring) {
      add(featuring[1] ?? '');
      add(featuring[2] ?? '');
    }
  }
  if (names.length === 0) {
    const named = /\bnamed\s+(\p{Lu}[\p{L}\p{N}'#-]*(?:\s+[\p{Lu}#\d][\p{L}\p{N}'#-]*)*)/gu;
    for (const m of text.matchAll(named)) add(m[1] ?? '');
  }
  return names.slice(0, 4);
}

const STORY_OPENINGS = [
  'On the last evening before Christmas, {A} found {B} standing alone beneath the lamplight of the village square.',
  'Snow had been falling since noon when {A} knocked on the door of {B}, holding a lantern and a small wrapped parcel.',
  'Nobody in the valley remembered a colder December, which is perhaps why {A} and {B} ended up sharing the same hearth.',
  'The bells of the old chapel were ringing when {A} first heard {B} laughing at the top of the frozen hill.',
];

const STORY_MIDDLES = [
  'The air smelled of pine needles, cinnamon and woodsmoke drifting from every chimney.',
  '{A} admitted that the holidays had felt lonely for years, and {B} listened without interrupting.',
  '"Christmas is not about what we keep," {B} said softly, "but about what we give away."',
  'Together they strung paper stars across the window until the room glowed gold.',
  'A quarrel over a broken ornament threatened to spoil the evening, until {A} began to laugh.',
  'Outside, children sang carols off-key, and somehow that made the song sweeter.',
  '{B} remembered a promise made long ago and decided, at last, to keep it.',
  'When the power failed, {A} lit every candle in the house and the dark became a gift.',
  'They baked gingerbread that came out lopsided, and neither of them minded at all.',
  'A small brown sparrow sheltered on the sill, and {B} set out crumbs without a word.',
  'Every kindness they offered that night seemed to return to them twice over.',
  '{A} wrapped a scarf around the shoulders of {B}, who had forgotten to bring a coat.',
  'The frost on the glass drew silver ferns that caught the light of the fire.',
  'Somewhere a sleigh bell jingled, although no sleigh could be seen on the road.',
];

const STORY_ENDINGS = [
  'By midnight {A} and {B} understood that the best present had been the company all along.',
  'As the first light of Christmas morning touched the snow, {A} and {B} walked home, no longer strangers.',
  'And every Christmas after that, {A} and {B} kept a candle burning in the window for anyone who needed it.',
  'The snow kept falling, softly and kindly, and for {A} and {B} the world felt new again.',
];

const ASSISTANT_SENTENCES = [
  'Here is a clear, step-by-step answer.',
  'The short version is that it depends on your goals and constraints.',
  'First, identify what matters most and write it down.',
  'Next, compare the options against those priorities one at a time.',
  'A small experiment is usually cheaper than a long debate.',
  'Keep notes as you go, so the reasoning can be checked later.',
  'If anything is unclear, ask a follow-up question and we can go deeper.',
  'In summary, start simple, measure the result, and refine from there.',
  'There are a few trade-offs worth keeping in mind.',
  'Most of the effort pays off in the first iteration.',
];

const REVISE_NOTES = [
  'Give the two characters a clearer shared goal in the opening.',
  'Add one more sensory detail to the central scene.',
  'Let the dialogue carry more of the emotional turn.',
  'Tighten the middle paragraph; it repeats the setting.',
  'Make the ending land on a concrete, hopeful image.',
  'Show the moment of generosity instead of telling it.',
];

function fill(template: string, a: string, b: string): string {
  const out = template.replaceAll('{A}', a).replaceAll('{B}', b);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

function randFor(messages: ChatMessage[], seed: string, salt: string): () => number {
  return mulberry32(seed32(`${seed}\u0000${salt}\u0000${JSON.stringify(messages)}`));
}

function firstWords(text: string, count: number): string {
  return text.trim().split(/\s+/).slice(0, count).join(' ');
}

/** The completion text for a non-critique request. */
export function generateText(messages: ChatMessage[], seed: string): string {
  const rand = randFor(messages, seed, 'text');
  const names = extractCharacterNames(messages);
  if (names.length === 0) {
    const topic = firstWords(lastUserMessage(messages)?.content ?? '', 8);
    const lines = [topic ? `You asked: "${topic}".` : 'Thanks for the message.'];
    const count = 4 + Math.floor(rand() * 4);
    lines.push(...sample(rand, ASSISTANT_SENTENCES, count));
    return lines.join(' ');
  }
  const a = names[0];
  const b = names[1] ?? 'an old friend';
  const sentences = [fill(pick(rand, STORY_OPENINGS), a, b)];
  const middleCount = 6 + Math.floor(rand() * 5);
  for (const middle of sample(rand, STORY_MIDDLES, middleCount)) sentences.push(fill(middle, a, b));
  sentences.push(fill(pick(rand, STORY_ENDINGS), a, b));
  // Paragraphs of about four sentences read like a story, not a list.
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; i += 4)
    paragraphs.push(sentences.slice(i, i + 4).join(' '));
  return paragraphs.join('\n\n');
}

/** The completion text for a critique request: always starts with "VERDICT: PASS|REVISE". */
export function critiqueText(
  messages: ChatMessage[],
  seed: string,
  verdict: 'PASS' | 'REVISE',
): string {
  const names = extractCharacterNames(messages);
  const who = names.length >= 2 ? `${names[0]} and ${names[1]}` : (names[0] ?? 'the characters');
  if (verdict === 'PASS') {
    return `VERDICT: PASS\nNotes: The story is warm and complete, and ${who} share a meaningful moment. No further revision is needed.`;
  }
  const rand = randFor(messages, seed, 'critique');
  const notes = sample(rand, REVISE_NOTES, 3);
  return `VERDICT: REVISE\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}`;
}

/** Honour max_tokens roughly: cut to about maxTokens*4 characters, on a word boundary. */
export function truncateToTokens(
  text: string,
  maxTokens: number | undefined,
): { text: string; truncated: boolean } {
  if (maxTokens === undefined || maxTokens <= 0) return { text, truncated: false };
  const maxChars = maxTokens * 4;
  if (text.length <= maxChars) return { text, truncated: false };
  const cut = text.slice(0, maxChars);
  const space = cut.search(/\s\S*$/);
  return { text: (space > 0 ? cut.slice(0, space) : cut).trimEnd(), truncated: true };
}

/** Split text into stream deltas of a few words each, keeping all whitespace. */
export function streamPieces(text: string, wordsPerPiece = 3): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerPiece) {
    pieces.push(words.slice(i, i + wordsPerPiece).join(''));
  }
  return pieces;
}
