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
  dropMidStream,
  sendCompletion,
  sendMalformedJson,
  sendMalformedStream,
  sendStream,
  type Answer,
} from './responses';
import {
  contentToText,
  countTokens,
  critiqueText,
  generateText,
  isCritiqueRequest,
  promptTokens,
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
  temperature: number | undefined;
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
    temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
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
  const baseHeaders: Record<string, string> = {
    'x-request-id': requestId(),
    'openai-processing-ms': '0',
  };
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
    record.maxTokens = chat.maxTokens ?? null;
    record.temperature = chat.temperature ?? null;
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

  // The account's limits come first, as a provider's edge refuses before any work is done.
  // A request carrying its own x-sim-fault is a test of that fault and is not counted.
  if (!sim.fault) {
    const verdict = state.limiter.admit(
      chat.model,
      promptTokens(chat.messages) + (chat.maxTokens ?? 0),
    );
    Object.assign(baseHeaders, verdict.headers);
    if (verdict.refusedBy) {
      const seconds = verdict.retryAfterMs / 1000;
      state.stats.decide(record, 'rate_limited', 429);
      const unit =
        verdict.refusedBy === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
      sendJson(
        res,
        429,
        errorBody(
          `Rate limit reached for ${chat.model} on ${unit}. Please try again in ${seconds.toFixed(3)}s. (simulated)`,
          verdict.refusedBy,
          'rate_limit_exceeded',
        ),
        {
          ...baseHeaders,
          'retry-after': String(Math.max(1, Math.ceil(seconds))),
          'retry-after-ms': String(verdict.retryAfterMs),
        },
      );
      return;
    }
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

  const { text, truncated } = truncateToTokens(answerText(state, chat, record), chat.maxTokens);
  const answer: Answer = {
    id: `chatcmpl-sim${randomBytes(10).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    content: text,
    finishReason: truncated ? 'length' : 'stop',
    promptTokens: promptTokens(chat.messages),
    completionTokens: countTokens(text),
    includeUsage: chat.includeUsage,
  };
  // Bill only what was delivered in full, as a provider would.
  const bill = (): void => state.stats.bill(record, answer.promptTokens, answer.completionTokens);

  if (!chat.stream) {
    if (fault === 'drop') req.socket.destroy();
    else if (fault === 'malformed') sendMalformedJson(res, answer, baseHeaders);
    else sendCompletion(res, answer, baseHeaders, bill);
    return;
  }
  if (fault === 'drop') dropMidStream(res, answer, baseHeaders);
  else if (fault === 'malformed') sendMalformedStream(res, answer, baseHeaders);
  else sendStream(res, answer, baseHeaders, bill);
}

function answerText(state: SimState, chat: ChatRequest, record: RequestRecord): string {
  if (record.critique) return critiqueText(chat.messages, state.seed, record.critique);
  return generateText(chat.messages, state.seed);
}
