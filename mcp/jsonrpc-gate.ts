import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCResultResponse,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { toolError } from './results';

/**
 * Strict JSON-RPC at the door of both MCP transports (stdio and Streamable HTTP), before the
 * SDK's handlers: the SDK parses a request's params with its own schemas and answers a failure
 * with -32603 (internal error) and a raw validation dump, and it lets NUL characters through to
 * the tools. Here a malformed `params`/`arguments` is -32602 (invalid params) with a message
 * that names the field, a NUL is refused as HTTP refuses it (400 there; here an isError result
 * in a tool's arguments, -32602 anywhere else), and the stdio transport's unparseable lines get -32700 (parse error) instead of
 * silence.
 */

export const NUL_MESSAGE =
  'NUL characters (\\u0000) are not allowed in paths, query parameters or request bodies';

export function rpcError(
  id: RequestId | null,
  code: number,
  message: string,
): JSONRPCErrorResponse {
  // A parse error has no id to answer (JSON-RPC 2.0 §5.1: null); the SDK's type omits null.
  return { jsonrpc: '2.0', id: id as RequestId, error: { code, message } };
}

const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || (!isObject(value) && !Array.isArray(value))) return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}

/** Methods whose params carry caller arguments, and the params field that holds them. */
const ARGUMENTS_OF: Record<string, string> = {
  'tools/call': 'arguments',
  'prompts/get': 'arguments',
};

/**
 * The answer to a request the server must not handle, or undefined to let it: a JSON-RPC error,
 * or for a NUL in a tool's arguments the isError result any other bad tool argument gets (the
 * model reads it and corrects the call), with the message HTTP gives.
 */
export function refusal(
  message: JSONRPCMessage,
): JSONRPCErrorResponse | JSONRPCResultResponse | undefined {
  if (!isJSONRPCRequest(message)) return undefined;
  const { id, method } = message;
  const params: unknown = message.params;
  if (params !== undefined && !isObject(params))
    return rpcError(
      id,
      ErrorCode.InvalidParams,
      `params must be an object (got ${describe(params)})`,
    );
  const field = ARGUMENTS_OF[method];
  const args = field && params ? params[field] : undefined;
  if (
    method === 'tools/call' &&
    isObject(params) &&
    hasNul(args) &&
    !hasNul({ ...params, [field]: undefined })
  ) {
    return {
      jsonrpc: '2.0',
      id,
      result: toolError({ type: 'InvalidCharacters', message: NUL_MESSAGE }),
    };
  }
  if (hasNul(params)) return rpcError(id, ErrorCode.InvalidParams, NUL_MESSAGE);
  if (field && args !== undefined && !isObject(args)) {
    return rpcError(
      id,
      ErrorCode.InvalidParams,
      `${field} must be an object of argument names to values (got ${describe(args)})`,
    );
  }
  if (field && params && (typeof params.name !== 'string' || params.name === '')) {
    return rpcError(
      id,
      ErrorCode.InvalidParams,
      `name must be the name of a ${method === 'tools/call' ? 'tool' : 'prompt'} (a string)`,
    );
  }
  return undefined;
}

/**
 * Puts the gate in front of a connected transport (call after `server.connect`, which sets the
 * handlers wrapped here): refused requests are answered at once, the rest go on unchanged.
 */
export function guardTransport(transport: Transport): void {
  const onmessage = transport.onmessage;
  const onerror = transport.onerror;
  transport.onmessage = (message, extra) => {
    const answer = refusal(message);
    if (answer) {
      void transport
        .send(answer)
        .catch((err: unknown) => onerror?.(err instanceof Error ? err : new Error(String(err))));
      return;
    }
    onmessage?.(message, extra);
  };
  transport.onerror = (err) => {
    // The stdio transport reports a line it cannot read here and drops it: answer it.
    const parse = lineError(err);
    if (parse) void transport.send(parse).catch(() => undefined);
    onerror?.(err);
  };
}

/**
 * An HTTP body that is not a JSON-RPC message or a non-empty batch of them: -32600, as stdio
 * answers such a line (the SDK's HTTP transport would call it a parse error).
 */
export function notJsonRpc(body: unknown): JSONRPCErrorResponse | undefined {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  if (messages.length > 0 && messages.every((m) => JSONRPCMessageSchema.safeParse(m).success))
    return undefined;
  return rpcError(
    null,
    ErrorCode.InvalidRequest,
    'Invalid Request: not a JSON-RPC 2.0 message (or a non-empty batch of them)',
  );
}

/** A stdio line that is not JSON (-32700) or not a JSON-RPC message (-32600). */
export function lineError(err: unknown): JSONRPCErrorResponse | undefined {
  if (err instanceof SyntaxError)
    return rpcError(null, ErrorCode.ParseError, `Parse error: ${err.message}`);
  // The SDK's schema check of the parsed line (a zod error: it carries issues).
  if (
    typeof err === 'object' &&
    err !== null &&
    Array.isArray((err as { issues?: unknown }).issues)
  )
    return rpcError(null, ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message');
  return undefined;
}
