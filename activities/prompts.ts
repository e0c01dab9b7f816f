import fs from 'node:fs';
import path from 'node:path';

/**
 * Prompt templates are plain text files, editable without a rebuild; they are read on every
 * call (cheap, and an edited prompt takes effect at once). `{name}` placeholders are filled in
 * a single pass, so a value containing braces is never re-interpreted as a placeholder.
 */
export function defaultPromptsDir(): string {
  // Works from the sources (activities/) and the build (dist/activities/).
  const candidates = [
    path.join(__dirname, 'prompts'),
    path.join(__dirname, '../../activities/prompts'),
  ];
  return candidates.find((d) => fs.existsSync(d)) ?? candidates[0];
}

export function loadPrompt(dir: string, name: string): string {
  return fs.readFileSync(path.join(dir, `${name}.txt`), 'utf8');
}

export function renderPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(vars, key) ? vars[key] : whole,
  );
}

export function storyVars(primary: string, secondary: string): Record<string, string> {
  return { primary_character: primary, secondary_character: secondary };
}
