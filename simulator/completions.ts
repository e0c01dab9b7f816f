import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decideVerdict } from './critique';
import { errorBody, errorReplyFor, isFaultKind, type FaultDecision } from './faults';
import { authInfo, headerValue, presentedKey, safeHeaders } from './headers';
import {
  BodyTooLargeError,
  parseJson,
  readBody,
  requestId,
  sendJson,
  sleep,
  untilAborted,
} from './http-util';
import type { SimState } from './state';
import {
  contentToText,
  countTokens,
  critiqueText,
  generateText,
  isCritiqueRequest,
  promptTokens,
  streamPieces,
  truncateToTokens,
  type ChatMessage,
} from './text';
import type { FaultKind, Outcome, RequestRecord } from './types';

// POST /v1/chat/completions: validate, decide the outcome (fault or answer), wait the latency,
// then answer as OpenAI would, streaming or not.

interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number | undefined;
}

interface SimHeaders {
  fault?: FaultKind;
  retryAfterSeconds?: number;
  latencyMs?: number;
  critiqueFails: number;
  key?: string;
}

class BadRequest extends Error {}

function parseChatRequest(raw: unknown): ChatRequest {
  if (!raw || typeof raw !== 'object') throw new BadRequest('Request body must be a JSON object.');
  const body = raw as Record<string, unknown>;
  if (typeof body.model !== 'string' || body.model.length === 0) {
    throw new BadRequest("you must provide a model parameter ('model').");
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new BadRequest("'messages' must be a non-empty array.");
  }
  const messages = body.messages.map((m: unknown, i): ChatMessage => {
    if (!m || typeof m !== 'object' || typeof (m as { role?: unknown }).role !== 'string') {
      throw new BadRequest(`messages[${i}] must be an object with a string 'role'.`);
    }
    const msg = m as { role: string; content?: unknown };
    return { role: msg.role, content: contentToText(msg.content) };
  });
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  const max = body.max_completion_tokens ?? body.max_tokens;
  return {
    model: body.model,
    messages,
    stream: body.stream === true,
    includeUsage: body.stream === true && streamOptions?.include_usage === true,
    maxTokens: typeof max === 'number' && max > 0 ? Math.floor(max) : undefined,
  };
}

function numberHeader(req: IncomingMessage, name: string, integer: boolean): number | undefined {
  const raw = headerValue(req.headers, name);
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new BadRequest(
      `Header ${name} must be a non-negative ${integer ? 'integer' : 'number'} (simulator).`,
    );
  }
  return value;
}

function parseSimHeaders(req: IncomingMessage): SimHeaders {
  const fault = headerValue(req.headers, 'x-sim-fault');
  if (fault !== undefined && fault !== '' && !isFaultKind(fault)) {
    throw new BadRequest(`Unknown x-sim-fault '${fault}' (simulator).`);
  }
  const key = headerValue(req.headers, 'x-sim-key');
  const retryAfterSeconds = numberHeader(req, 'x-sim-retry-after', false);
  const latencyMs = numberHeader(req, 'x-sim-latency-ms', true);
  return {
    ...(fault ? { fault } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    critiqueFails: numberHeader(req, 'x-sim-critique-fails', true) ?? 0,
    ...(key ? { key } : {}),
  };
}

function completionId(): string {
  return `chatcmpl-sim${randomBytes(10).toString('hex')}`;
}

function usageOf(prompt: number, completion: number): Record<string, unknown> {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export async function handleChatCompletion(
  state: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const started = Date.now();
  const record = state.stats.begin(
    req.method ?? 'POST',
    path,
    safeHeaders(req.headers),
    authInfo(req.headers),
  );
  // One signal for "stop working on this request": the client went away or the server closes.
  const abort = new AbortController();
  const onServerClose = (): void => abort.abort();
  state.closing.signal.addEventListener('abort', onServerClose, { once: true });
  res.on('close', () => {
    record.durationMs = Date.now() - started;
    if (!res.writableFinished) record.clientClosed = true;
    state.closing.signal.removeEventListener('abort', onServerClose);
    abort.abort();
  });
  const baseHeaders = { 'x-request-id': requestId(), 'openai-processing-ms': '0' };
  const fail = (
    outcome: Outcome,
    status: number,
    message: string,
    type: string,
    code: string | null,
  ): void => {
    state.stats.decide(record, outcome, status);
    sendJson(res, status, errorBody(message, type, code), baseHeaders);
  };

  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (err) {
    const tooLarge = err instanceof BodyTooLargeError;
    fail('invalid_request', tooLarge ? 413 : 400, String(err), 'invalid_request_error', null);
    return;
  }

  let chat: ChatRequest;
  let sim: SimHeaders;
  try {
    const parsed = parseJson(rawBody);
    if (parsed === undefined)
      throw new BadRequest('We could not parse the JSON body of your request.');
    chat = parseChatRequest(parsed);
    record.model = chat.model;
    record.stream = chat.stream;
    sim = parseSimHeaders(req);
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    fail('invalid_request', 400, err.message, 'invalid_request_error', null);
    return;
  }

  if (state.apiKey !== undefined && presentedKey(req.headers) !== state.apiKey) {
    fail(
      'unauthorized',
      401,
      'Incorrect API key provided.',
      'invalid_request_error',
      'invalid_api_key',
    );
    return;
  }

  // A header fault replaces the schedule for this request (and does not use up its rules).
  const critique = isCritiqueRequest(chat.messages);
  const decision: FaultDecision | null = sim.fault
    ? {
        fault: sim.fault,
        source: 'header',
        ...(sim.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: sim.retryAfterSeconds }
          : {}),
      }
    : state.faults.next({ body: rawBody, critique });
  const fault = decision && decision.fault !== 'revise' ? decision.fault : null;
  const retryAfter = decision?.retryAfterSeconds ?? sim.retryAfterSeconds;

  // Only a critique that is actually answered uses up one of the "fail the first N" slots,
  // so a retried (faulted) critique request still gets the verdict it was meant to get.
  if (critique && fault === null) {
    record.critique = decideVerdict({
      forcedRevise: decision?.fault === 'revise',
      failsRequested: sim.critiqueFails,
      answeredBefore: state.critique.next(sim.key),
    });
  }

  const reply = fault ? errorReplyFor(fault, chat.model, retryAfter) : null;
  const outcome: Outcome = fault ?? 'ok';
  const status = reply ? reply.status : fault === 'timeout' || fault === 'drop' ? 0 : 200;
  state.stats.decide(record, outcome, status);

  if (!(await sleep(state.latencyFor(sim.latencyMs), abort.signal))) return;

  if (reply) {
    sendJson(res, reply.status, reply.body, { ...baseHeaders, ...reply.headers });
    return;
  }
  if (fault === 'timeout') {
    // Accept and never answer: the client's own timeout is what is under test.
    await untilAborted(abort.signal);
    res.destroy();
    return;
  }

  const text = answerText(state, chat, record);
  const { text: content, truncated } = truncateToTokens(text, chat.maxTokens);
  const prompt = promptTokens(chat.messages);
  const completion = countTokens(content);
  const finishReason = truncated ? 'length' : 'stop';
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);

  if (fault === 'drop' && !chat.stream) {
    req.socket.destroy();
    return;
  }
  if (fault === 'malformed' && !chat.stream) {
    // Valid headers, broken JSON: the client's body parsing is what is under test.
    const broken = `{"id":"${id}","object":"chat.completion","model":${JSON.stringify(chat.model)},"choices":[{"index":0,"message":{"role":"assistant","content":"${content.slice(0, 20)}`;
    res.writeHead(200, { ...baseHeaders, 'content-type': 'application/json' });
    res.end(broken);
    return;
  }

  if (!chat.stream) {
    res.on('finish', () => state.stats.bill(record, prompt, completion));
    sendJson(
      res,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model: chat.model,
        system_fingerprint: 'fp_quillflow_sim',
        service_tier: 'default',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage: usageOf(prompt, completion),
      },
      baseHeaders,
    );
    return;
  }

  // Streaming (SSE), shaped like OpenAI's chunks; with include_usage every chunk carries
  // `usage: null` and one last chunk with empty choices carries the totals.
  const chunk = (delta: Record<string, unknown>, finish: string | null): string => {
    const data: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: chat.model,
      system_fingerprint: 'fp_quillflow_sim',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (chat.includeUsage) data.usage = null;
    return `data: ${JSON.stringify(data)}\n\n`;
  };
  res.writeHead(200, {
    ...baseHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const pieces = streamPieces(content);
  if (fault === 'drop') {
    // Mid-stream drop: half the content arrives, then the connection dies. The destroy waits
    // for the last write to be flushed, or the client might see no bytes at all.
    const sent = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
    for (const piece of pieces.slice(0, Math.ceil(pieces.length / 2)))
      sent.push(chunk({ content: piece }, null));
    res.write(sent.join(''), () => req.socket.destroy());
    return;
  }
  res.write(chunk({ role: 'assistant', content: '', refusal: null }, null));
  if (fault === 'malformed') {
    res.write(
      `data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"delta":{"content":\n\n`,
    );
    res.end('data: [DONE]\n\n');
    return;
  }
  for (const piece of pieces) res.write(chunk({ content: piece }, null));
  res.write(chunk({}, finishReason));
  if (chat.includeUsage) {
    const usage = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: chat.model,
      system_fingerprint: 'fp_quillflow_sim',
      choices: [],
      usage: usageOf(prompt, completion),
    };
    res.write(`data: ${JSON.stringify(usage)}\n\n`);
  }
  res.on('finish', () => state.stats.bill(record, prompt, completion));
  res.end('data: [DONE]\n\n');
}

function answerText(state: SimState, chat: ChatRequest, record: RequestRecord): string {
  if (record.critique) return critiqueText(chat.messages, state.seed, record.critique);
  return generateText(chat.messages, state.seed);
}
