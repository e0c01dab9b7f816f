import type OpenAI from 'openai';
import type { RawLlmOutput } from '../../llm/llm-call';
import type { ChatHistory } from '../framework';

/**
 * Semantic Kernel has no TypeScript SDK, so this is its shape on the official openai SDK:
 * a kernel holds the provider client (the "service"), and prompt functions (template +
 * execution settings) are registered and invoked by name with arguments.
 */
export interface ExecutionSettings {
  maxTokens: number;
  temperature: number;
}

export interface PromptFunction {
  name: string;
  systemTemplate: string;
  userTemplate: string;
  settings: ExecutionSettings;
}

export type KernelArguments = Record<string, string>;

/** A chat function: a system template and settings; the conversation comes as ChatHistory. */
export interface ChatFunction {
  name: string;
  systemTemplate: string;
  settings: ExecutionSettings;
}

function render(template: string, args: KernelArguments): string {
  // Semantic Kernel's template syntax: {{$name}}; plain {name} is accepted for shared templates.
  return template.replace(
    /\{\{\s*\$([a-z_]+)\s*\}\}|\{([a-z_]+)\}/gi,
    (whole, a?: string, b?: string) => {
      const key = (a ?? b)!;
      return Object.prototype.hasOwnProperty.call(args, key) ? args[key] : whole;
    },
  );
}

export class Kernel {
  private readonly functions = new Map<string, PromptFunction>();
  private readonly chatFunctions = new Map<string, ChatFunction>();

  constructor(
    private readonly service: OpenAI,
    private readonly modelId: string,
  ) {}

  addFunction(fn: PromptFunction): this {
    this.functions.set(fn.name, fn);
    return this;
  }

  addChatFunction(fn: ChatFunction): this {
    this.chatFunctions.set(fn.name, fn);
    return this;
  }

  /** History contents are sent as they are: only the system template is rendered. */
  async invokeChat(
    name: string,
    history: ChatHistory,
    args: KernelArguments = {},
    signal?: AbortSignal,
  ): Promise<RawLlmOutput> {
    const fn = this.chatFunctions.get(name);
    if (!fn) throw new Error(`Kernel has no chat function named "${name}"`);
    return this.complete(
      [{ role: 'system', content: render(fn.systemTemplate, args) }, ...history],
      fn.settings,
      signal,
    );
  }

  async invoke(name: string, args: KernelArguments, signal?: AbortSignal): Promise<RawLlmOutput> {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`Kernel has no function named "${name}"`);
    return this.complete(
      [
        { role: 'system', content: render(fn.systemTemplate, args) },
        { role: 'user', content: render(fn.userTemplate, args) },
      ],
      fn.settings,
      signal,
    );
  }

  /** The service call every function makes: its messages under its execution settings. */
  private async complete(
    messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[],
    settings: ExecutionSettings,
    signal?: AbortSignal,
  ): Promise<RawLlmOutput> {
    const completion = await this.service.chat.completions.create(
      {
        model: this.modelId,
        messages,
        max_tokens: settings.maxTokens,
        temperature: settings.temperature,
      },
      { signal },
    );
    return {
      text: completion.choices[0]?.message?.content ?? '',
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
    };
  }
}
