import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { rpcError } from '../../mcp/jsonrpc-gate';
import { ApiError, bodyNotAnObject } from './api-error';

/**
 * Request bodies are JSON in UTF-8, except the multipart upload: anything else (a form, XML,
 * JSON in UTF-16) is refused with 415 before a body parser reads it, rather than parsed into
 * something the route never meant to take. /mcp is left to the MCP transport, which answers in
 * JSON-RPC.
 */

/** Routes whose body is multipart/form-data (lower case, no trailing slash). */
export const MULTIPART_ROUTES: ReadonlySet<string> = new Set(['/api/context/upload']);
const MCP_ROUTE = '/mcp';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A body is on its way: chunked, or a non-zero length (an empty POST needs no type). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}

/** `type/subtype` and the charset of a Content-Type header, lower case. */
export function parseContentType(header: string | undefined): { type: string; charset?: string } {
  const [type = '', ...params] = (header ?? '').split(';');
  const charset = params
    .map((p) => /^\s*charset\s*=\s*"?([^";\s]*)"?\s*$/i.exec(p)?.[1])
    .find((c) => c !== undefined);
  return {
    type: type.trim().toLowerCase(),
    ...(charset !== undefined ? { charset: charset.toLowerCase() } : {}),
  };
}

const normalizedPath = (path: string) => path.toLowerCase().replace(/\/+$/, '') || '/';

export function requestBodyType(req: Request, _res: Response, next: NextFunction): void {
  if (!BODY_METHODS.has(req.method) || !hasBody(req)) return next();
  const path = normalizedPath(req.path);
  if (path === MCP_ROUTE) return next();
  const { type, charset } = parseContentType(req.headers['content-type']);
  if (MULTIPART_ROUTES.has(path)) {
    if (type === 'multipart/form-data') return next();
    return next(
      new ApiError(
        415,
        'UnsupportedMediaType',
        `${req.method} ${req.path} takes multipart/form-data with the file in the form field named "file" (got ${type || 'no Content-Type'})`,
      ),
    );
  }
  if (type !== 'application/json') {
    return next(
      new ApiError(
        415,
        'UnsupportedMediaType',
        `Send the request body as JSON with Content-Type: application/json (got ${type || 'no Content-Type'})`,
      ),
    );
  }
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(
      new ApiError(
        415,
        'UnsupportedMediaType',
        `Send JSON bodies in UTF-8 (got charset=${charset})`,
      ),
    );
  }
  next();
}

/**
 * After the JSON parser: its strict mode (objects and arrays only) refuses `null`, `true` and
 * `123` as if they were malformed. They are JSON, just not an object: say so. On /mcp the
 * answer is JSON-RPC: -32700 for malformed JSON, -32600 for JSON that is no request.
 */
export function jsonBodyErrors(
  err: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  const { type, body } = (err ?? {}) as { type?: unknown; body?: unknown };
  if (type !== 'entity.parse.failed' || typeof body !== 'string') return next(err);
  const mcp = normalizedPath(req.path) === MCP_ROUTE;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    if (!mcp) return next(err);
    res
      .status(400)
      .json(rpcError(null, ErrorCode.ParseError, `Parse error: ${(err as Error).message}`));
    return;
  }
  if (!mcp) return next(bodyNotAnObject(value));
  res
    .status(400)
    .json(
      rpcError(
        null,
        ErrorCode.InvalidRequest,
        'Invalid Request: a JSON-RPC message is an object (or a batch of them)',
      ),
    );
}
