import { createHash } from 'node:crypto';
import { HumanMessage, SystemMessage, type AIMessageChunk } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { startSimulator, type Simulator } from './server';
import { extractCharacterNames } from './text';

// The simulator is exercised only the way Quillflow uses it: the real `openai` SDK and
// LangChain's ChatOpenAI over real HTTP.

const STORY =
  "Write a Christmas story featuring Elf #1 and O'Brien.\n\nThe draft should:\n- be short";

let sim: Simulator;

function client(extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ baseURL: sim.url, apiKey: 'test', maxRetries: 0, ...extra });
}

function storyRequest(content = STORY) {
  return {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system' as const, content: 'You are a creative Christmas story writer.' },
      { role: 'user' as const, content },
    ],
  };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

async function control(path: string, body?: unknown): Promise<Response> {
  const base = sim.url.replace(/\/v1$/, '');
  return fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'spec' });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

describe('chat completions (openai SDK)', () => {
  it('answers with deterministic text, the requested model and filled usage', async () => {
    const openai = client();
    const a = await openai.chat.completions.create(storyRequest());
    const b = await openai.chat.completions.create(storyRequest());
    const text = a.choices[0].message.content!;

    expect(a.model).toBe('gpt-4o-mini');
    expect(a.object).toBe('chat.completion');
    expect(text).toContain('Elf #1');
    expect(text).toContain("O'Brien");
    expect(b.choices[0].message.content).toBe(text);
    expect(a.choices[0].finish_reason).toBe('stop');

    const promptChars = 'You are a creative Christmas story writer.'.length + STORY.length;
    expect(a.usage).toMatchObject({
      prompt_tokens: Math.ceil(promptChars / 4),
      completion_tokens: Math.ceil(text.length / 4),
    });
    expect(a.usage!.total_tokens).toBe(a.usage!.prompt_tokens + a.usage!.completion_tokens);

    const other = await openai.chat.completions.create(
      storyRequest('Write a story featuring José and Mary.'),
    );
    expect(other.choices[0].message.content).not.toBe(text);
    expect(other.choices[0].message.content).toContain('José');
  });

  it('streams the same text with a final usage chunk', async () => {
    const openai = client();
    const whole = await openai.chat.completions.create(storyRequest());
    const stream = await openai.chat.completions.create({
      ...storyRequest(),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0].message.content);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({
      prompt_tokens: whole.usage!.prompt_tokens,
      completion_tokens: whole.usage!.completion_tokens,
      total_tokens: whole.usage!.total_tokens,
    });
    expect(sim.stats()).toMatchObject({ requests: 2, streamed: 1 });
  });

  it('honours max_tokens roughly and reports finish_reason length', async () => {
    const res = await client().chat.completions.create({ ...storyRequest(), max_tokens: 10 });
    expect(res.choices[0].finish_reason).toBe('length');
    expect(res.choices[0].message.content!.length).toBeLessThanOrEqual(40);
    expect(res.usage!.completion_tokens).toBeLessThanOrEqual(10);
  });

  it('lists models and answers health', async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toContain('quillflow-sim-1');
    const health = await control('/health');
    expect(await health.json()).toMatchObject({ status: 'ok', simulator: true });
  });
});

describe('LangChain ChatOpenAI', () => {
  const model = (): ChatOpenAI =>
    new ChatOpenAI({
      model: 'quillflow-sim-1',
      apiKey: 'test',
      maxRetries: 0,
      configuration: { baseURL: sim.url },
    });

  it('reads text and usage metadata, non-streaming and streaming', async () => {
    const messages = [new SystemMessage('You write stories.'), new HumanMessage(STORY)];
    const msg = await model().invoke(messages);
    expect(msg.text).toContain('Elf #1');
    expect(msg.usage_metadata).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
    });
    expect(msg.usage_metadata!.output_tokens).toBeGreaterThan(0);

    let merged: AIMessageChunk | undefined;
    for await (const chunk of await model().stream(messages))
      merged = merged ? merged.concat(chunk) : chunk;
    expect(merged!.text).toBe(msg.text);
    expect(merged!.usage_metadata).toMatchObject(msg.usage_metadata!);
    expect(sim.stats().byModel).toEqual({ 'quillflow-sim-1': 2 });
  });
});

describe('fault injection', () => {
  it('schedule: 500 twice then 200', async () => {
    sim.setFaults({ rules: [{ fault: '500', times: 2 }] });
    const openai = client();
    for (let i = 0; i < 2; i++) {
      const err = await caught(openai.chat.completions.create(storyRequest()));
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).status).toBe(500);
      expect((err as APIError).type).toBe('server_error');
    }
    await expect(openai.chat.completions.create(storyRequest())).resolves.toMatchObject({
      object: 'chat.completion',
    });

    // Same schedule through the control endpoint, absorbed by the SDK's own retries
    // (retry-after-ms keeps the backoff short).
    const set = await control('/_sim/faults', {
      rules: [{ fault: '500', times: 2, retryAfterSeconds: 0.01 }],
    });
    expect(set.status).toBe(200);
    await client({ maxRetries: 2 }).chat.completions.create(storyRequest());
    expect(sim.stats()).toMatchObject({
      requests: 6,
      byOutcome: { '500': 4, ok: 2 },
      byStatus: { '500': 4, '200': 2 },
    });
  });

  it('429 carries retry-after on the SDK error; insufficient_quota is a 429 with its code', async () => {
    const err = (await caught(
      client().chat.completions.create(storyRequest(), {
        headers: { 'x-sim-fault': '429', 'x-sim-retry-after': '7' },
      }),
    )) as APIError;
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.headers?.get('retry-after')).toBe('7');
    expect(err.headers?.get('retry-after-ms')).toBe('7000');

    sim.setFaults({ rules: [{ fault: 'insufficient_quota' }] });
    const quota = (await caught(client().chat.completions.create(storyRequest()))) as APIError;
    expect(quota.status).toBe(429);
    expect(quota.code).toBe('insufficient_quota');
    expect(quota.type).toBe('insufficient_quota');
  });

  it('timeout holds the request until the client gives up', async () => {
    const started = Date.now();
    const err = await caught(
      client({ timeout: 1_000 }).chat.completions.create(storyRequest(), {
        headers: { 'x-sim-fault': 'timeout' },
      }),
    );
    // Under Jest the SDK reports its own timeout as a plain APIConnectionError: undici's
    // AbortError is a DOMException from Node's realm, which the SDK's castToError() does not
    // recognise inside Jest's vm context. In plain Node it is APIConnectionTimeoutError.
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);

    // Re-throwing fetch errors as this realm's Error (name kept) shows the plain-Node result.
    const realmFetch: typeof fetch = (input, init) =>
      fetch(input, init).catch((e: Error) => {
        throw Object.assign(new Error(e.message, { cause: e.cause }), { name: e.name });
      });
    const timedOut = await caught(
      client({ timeout: 1_000, fetch: realmFetch }).chat.completions.create(storyRequest(), {
        headers: { 'x-sim-fault': 'timeout' },
      }),
    );
    expect(timedOut).toBeInstanceOf(APIConnectionTimeoutError);
    // Both requests reached the simulator and were held. (The client's 1 s leaves the server
    // time to read each request even on a loaded CI machine; 200 ms once did not.)
    expect(sim.stats().byOutcome).toEqual({ timeout: 2 });
  });

  it('drop destroys the connection (non-streaming and mid-stream)', async () => {
    const err = await caught(
      client().chat.completions.create(storyRequest(), { headers: { 'x-sim-fault': 'drop' } }),
    );
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);

    sim.setFaults({ rules: [{ fault: 'drop', times: 1, match: '"stream":true' }] });
    const stream = await client().chat.completions.create({ ...storyRequest(), stream: true });
    let received = '';
    const midStream = await caught(
      (async () => {
        for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    // Undici's errors come from Node's realm, so compare names rather than use instanceof.
    expect((midStream as Error).name).toBe('TypeError'); // "terminated": the socket died
    expect(received.length).toBeGreaterThan(0);
  });

  it('malformed answers 200 with a body that does not parse', async () => {
    const err = await caught(
      client().chat.completions.create(storyRequest(), { headers: { 'x-sim-fault': 'malformed' } }),
    );
    expect((err as Error).name).toBe('SyntaxError');
    expect(sim.stats()).toMatchObject({
      byOutcome: { malformed: 1 },
      byStatus: { '200': 1 },
      completionTokens: 0,
    });
  });

  it('rate rules are deterministic across resets', async () => {
    const pattern = async (): Promise<string> => {
      sim.setFaults({ rules: [{ fault: '400', rate: 0.5 }] });
      const openai = client();
      let out = '';
      for (let i = 0; i < 12; i++) {
        out += await openai.chat.completions.create(storyRequest()).then(
          () => '.',
          () => 'x',
        );
      }
      return out;
    };
    const first = await pattern();
    sim.reset();
    expect(await pattern()).toBe(first);
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
  });

  it('rejects unknown fault names', async () => {
    const err = (await caught(
      client().chat.completions.create(storyRequest(), { headers: { 'x-sim-fault': 'explode' } }),
    )) as APIError;
    expect(err.status).toBe(400);
    const bad = await control('/_sim/faults', { rules: [{ fault: 'explode' }] });
    expect(bad.status).toBe(400);
  });
});

describe('rate limits and outage windows', () => {
  it('refuses requests over the requests-per-minute limit with 429, retry-after and x-ratelimit headers', async () => {
    // 120/min with a 1 s burst: 2 requests fit at once, the third waits ~500 ms for a token.
    sim.setLimits({ requestsPerMinute: 120 });
    const openai = client();
    await openai.chat.completions.create(storyRequest());
    await openai.chat.completions.create(storyRequest());
    const err = (await caught(openai.chat.completions.create(storyRequest()))) as InstanceType<
      typeof APIError
    >;
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    const ms = Number(err.headers?.get('retry-after-ms'));
    expect(ms).toBeGreaterThan(300);
    expect(ms).toBeLessThanOrEqual(500);
    expect(err.headers?.get('retry-after')).toBe('1');
    expect(err.headers?.get('x-ratelimit-limit-requests')).toBe('120');
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    await new Promise((r) => setTimeout(r, ms + 20));
    await openai.chat.completions.create(storyRequest());
    expect(sim.stats().byOutcome).toMatchObject({ ok: 3, rate_limited: 1 });
  });

  it('counts prompt + max_tokens against the tokens-per-minute limit, per model', async () => {
    const res = await control('/_sim/limits', { tokensPerMinute: 60_000 });
    expect(await res.json()).toEqual({ tokensPerMinute: 60_000 });
    const openai = client();
    // A 1 s bucket holds 1,000 tokens: one request asking for 900 fits, a second does not.
    await openai.chat.completions.create({ ...storyRequest(), max_tokens: 900 });
    const err = (await caught(
      openai.chat.completions.create({ ...storyRequest(), max_tokens: 900 }),
    )) as InstanceType<typeof APIError>;
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/tokens per min/);
    // Another model has its own bucket.
    await openai.chat.completions.create({ ...storyRequest(), model: 'gpt-4o', max_tokens: 900 });
    expect((await control('/_sim/limits', { requestsPerMinute: -1 })).status).toBe(400);
  });

  it('fails every request with 503 for a given window, then answers again', async () => {
    sim.setFaults({ rules: [{ fault: '503', forSeconds: 0.3 }] });
    const openai = client();
    const err = (await caught(openai.chat.completions.create(storyRequest()))) as InstanceType<
      typeof APIError
    >;
    expect(err.status).toBe(503);
    await new Promise((r) => setTimeout(r, 350));
    await openai.chat.completions.create(storyRequest());
    expect(sim.stats().byStatus).toMatchObject({ '503': 1, '200': 1 });
  });
});

describe('critique verdicts', () => {
  const critique = (story = 'Once upon a time...') => ({
    model: 'gpt-4o-mini',
    messages: [
      {
        role: 'system' as const,
        content: 'You are a demanding story editor. CRITIQUE the story you are given.',
      },
      {
        role: 'user' as const,
        content: `Critique this Christmas story about Ann and Bob.\n\nStory:\n${story}`,
      },
    ],
  });
  const verdict = async (headers: Record<string, string> = {}): Promise<string> => {
    const res = await client().chat.completions.create(critique(), { headers });
    return res.choices[0].message.content!.split('\n')[0];
  };

  it('passes by default and fails the first N per x-sim-key', async () => {
    expect(await verdict()).toBe('VERDICT: PASS');
    const h = { 'x-sim-critique-fails': '2', 'x-sim-key': 'story-1' };
    expect(await verdict(h)).toBe('VERDICT: REVISE');
    expect(await verdict({ ...h, 'x-sim-key': 'story-2' })).toBe('VERDICT: REVISE');
    expect(await verdict(h)).toBe('VERDICT: REVISE');
    expect(await verdict(h)).toBe('VERDICT: PASS');
    expect(sim.stats().critique).toEqual({ pass: 2, revise: 3 });
  });

  it('a faulted critique does not use up a REVISE; the schedule can force REVISE', async () => {
    const h = { 'x-sim-critique-fails': '1' };
    sim.setFaults({ rules: [{ fault: '500', times: 1 }] });
    await expect(verdict(h)).rejects.toBeInstanceOf(APIError);
    expect(await verdict(h)).toBe('VERDICT: REVISE');
    expect(await verdict(h)).toBe('VERDICT: PASS');

    sim.setFaults({ rules: [{ fault: 'revise', times: 1 }] });
    // A non-critique request does not consume the revise rule.
    await client().chat.completions.create(storyRequest());
    expect(await verdict()).toBe('VERDICT: REVISE');
    expect(await verdict()).toBe('VERDICT: PASS');
  });
});

describe('stats and headers', () => {
  it('counts every request, bills delivered tokens and never keeps secrets', async () => {
    const openai = client({
      defaultHeaders: { 'X-App-Name': 'quillflow-spec', 'x-request-source': 'spec' },
    });
    const ok = await openai.chat.completions.create(storyRequest());
    await caught(
      openai.chat.completions.create(storyRequest(), { headers: { 'x-sim-fault': '401' } }),
    );
    await caught(
      openai.chat.completions.create(storyRequest(), { headers: { 'x-sim-fault': '500' } }),
    );

    const stats = sim.stats();
    expect(stats.requests).toBe(3);
    expect(stats.byOutcome).toEqual({ ok: 1, '401': 1, '500': 1 });
    expect(stats.byModel).toEqual({ 'gpt-4o-mini': 3 });
    expect(stats.promptTokens).toBe(ok.usage!.prompt_tokens);
    expect(stats.completionTokens).toBe(ok.usage!.completion_tokens);
    expect(stats.totalTokens).toBe(ok.usage!.total_tokens);
    expect(stats.recent).toHaveLength(3);
    expect(stats.lastHeaders).toMatchObject({
      'x-app-name': 'quillflow-spec',
      'x-request-source': 'spec',
    });
    expect(stats.lastHeaders!.authorization).toBe('[redacted]');
    expect(stats.lastAuth).toEqual({
      present: true,
      scheme: 'bearer',
      keySha256Prefix: createHash('sha256').update('test').digest('hex').slice(0, 12),
    });
    const served = JSON.stringify(await (await control('/_sim/stats')).json());
    expect(served).not.toContain('Bearer test');
    expect(served).not.toContain('Elf #1'); // no bodies
    expect(JSON.parse(served).requests).toBe(3);

    expect((await control('/_sim/reset', {})).status).toBe(200);
    expect(sim.stats().requests).toBe(0);
  });

  it('latency applies per server and per request', async () => {
    // 3 s against 0: far enough apart that a loaded CI machine cannot blur them (a 1 s server
    // latency against an 800 ms bound once failed there, the 0 ms request taking 854 ms).
    expect((await control('/_sim/latency', { latencyMs: 3_000 })).status).toBe(200);
    let t = Date.now();
    await client().chat.completions.create(storyRequest());
    expect(Date.now() - t).toBeGreaterThanOrEqual(2_990);
    t = Date.now();
    await client().chat.completions.create(storyRequest(), {
      headers: { 'x-sim-latency-ms': '0' },
    });
    expect(Date.now() - t).toBeLessThan(2_000);
  });
});

describe('concurrency', () => {
  it('serves many parallel requests', async () => {
    const openai = client();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        openai.chat.completions.create(storyRequest(`Write a story featuring A${i} and B${i}.`), {
          headers: { 'x-sim-latency-ms': '30' },
        }),
      ),
    );
    expect(sim.stats()).toMatchObject({ requests: 40, byOutcome: { ok: 40 } });
  });
});

describe('lifecycle', () => {
  it('close() releases held requests and keep-alive sockets promptly', async () => {
    const own = await startSimulator();
    const openai = new OpenAI({ baseURL: own.url, apiKey: 'k', maxRetries: 0, timeout: 30_000 });
    await openai.chat.completions.create(storyRequest()); // leaves a keep-alive socket
    const held = caught(
      openai.chat.completions.create(storyRequest(), { headers: { 'x-sim-fault': 'timeout' } }),
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await held).toBeInstanceOf(APIConnectionError);
  });
});

describe('character names', () => {
  const names = (content: string): string[] => extractCharacterNames([{ role: 'user', content }]);
  it('reads labelled, "featuring" and "story about" forms', () => {
    expect(names('Primary character: José\nSecondary character: Elf #1')).toEqual([
      'José',
      'Elf #1',
    ]);
    expect(names('Characters: Ann, Bob')).toEqual(['Ann', 'Bob']);
    expect(names("Create a Christmas story about O'Brien and Mary.\n\nGuidelines:")).toEqual([
      "O'Brien",
      'Mary',
    ]);
    expect(names('What is the capital of France?')).toEqual([]);
  });
});
