import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util';
import { streamPieces } from './text';

// The bodies of a chat completion, shaped like OpenAI's, plus the broken variants the
// `drop` and `malformed` faults send so clients' parsing and connection handling get tested.

export interface Answer {
  id: string;
  created: number;
  model: string;
  content: string;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
  /** stream_options.include_usage was set. */
  includeUsage: boolean;
}

const FINGERPRINT = 'fp_quillflow_sim';

function usageOf(a: Answer): Record<string, unknown> {
  return {
    prompt_tokens: a.promptTokens,
    completion_tokens: a.completionTokens,
    total_tokens: a.promptTokens + a.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function sendCompletion(
  res: ServerResponse,
  a: Answer,
  headers: Record<string, string>,
  onDelivered: () => void,
): void {
  res.on('finish', onDelivered);
  sendJson(
    res,
    200,
    {
      id: a.id,
      object: 'chat.completion',
      created: a.created,
      model: a.model,
      system_fingerprint: FINGERPRINT,
      service_tier: 'default',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: a.content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: a.finishReason,
        },
      ],
      usage: usageOf(a),
    },
    headers,
  );
}

/** Valid headers, truncated JSON: the client's body parsing is what is under test. */
export function sendMalformedJson(
  res: ServerResponse,
  a: Answer,
  headers: Record<string, string>,
): void {
  const broken = `{"id":"${a.id}","object":"chat.completion","model":${JSON.stringify(a.model)},"choices":[{"index":0,"message":{"role":"assistant","content":"`;
  res.writeHead(200, { ...headers, 'content-type': 'application/json' });
  res.end(broken);
}

// With include_usage, OpenAI puts `usage: null` on every chunk and adds one last chunk with
// empty choices that carries the totals.
function chunk(a: Answer, delta: Record<string, unknown>, finish: string | null): string {
  const data: Record<string, unknown> = {
    id: a.id,
    object: 'chat.completion.chunk',
    created: a.created,
    model: a.model,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
  if (a.includeUsage) data.usage = null;
  return `data: ${JSON.stringify(data)}\n\n`;
}

function usageChunk(a: Answer): string {
  const data = {
    id: a.id,
    object: 'chat.completion.chunk',
    created: a.created,
    model: a.model,
    system_fingerprint: FINGERPRINT,
    choices: [],
    usage: usageOf(a),
  };
  return `data: ${JSON.stringify(data)}\n\n`;
}

function startStream(res: ServerResponse, a: Answer, headers: Record<string, string>): string[] {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  return [chunk(a, { role: 'assistant', content: '', refusal: null }, null)];
}

export function sendStream(
  res: ServerResponse,
  a: Answer,
  headers: Record<string, string>,
  onDelivered: () => void,
): void {
  const out = startStream(res, a, headers);
  for (const piece of streamPieces(a.content)) out.push(chunk(a, { content: piece }, null));
  out.push(chunk(a, {}, a.finishReason));
  if (a.includeUsage) out.push(usageChunk(a));
  out.push('data: [DONE]\n\n');
  res.on('finish', onDelivered);
  for (const event of out) res.write(event);
  res.end();
}

/** Half the content arrives, then the connection dies. */
export function dropMidStream(
  res: ServerResponse,
  a: Answer,
  headers: Record<string, string>,
): void {
  const out = startStream(res, a, headers);
  const pieces = streamPieces(a.content);
  for (const piece of pieces.slice(0, Math.ceil(pieces.length / 2))) {
    out.push(chunk(a, { content: piece }, null));
  }
  // Destroy only once the bytes are flushed, or the client might see nothing at all.
  res.write(out.join(''), () => res.socket?.destroy());
}

/** One good chunk, then an event whose data is not JSON. */
export function sendMalformedStream(
  res: ServerResponse,
  a: Answer,
  headers: Record<string, string>,
): void {
  const out = startStream(res, a, headers);
  out.push(
    `data: {"id":"${a.id}","object":"chat.completion.chunk","choices":[{"delta":{"content":\n\n`,
  );
  out.push('data: [DONE]\n\n');
  for (const event of out) res.write(event);
  res.end();
}
