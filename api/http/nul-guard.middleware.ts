import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/**
 * NUL characters are never meaningful in Quillflow's inputs, and PostgreSQL cannot store them
 * in text columns (SQLite can): refuse them at the door, the same way on both databases, rather
 * than failing deep inside a query.
 */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value as Record<string, unknown>).some(
    ([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1),
  );
}

function decodedPathHasNul(path: string): boolean {
  try {
    return decodeURIComponent(path).includes('\u0000');
  } catch {
    return false; // malformed escapes are answered by the router
  }
}

/**
 * /mcp bodies are JSON-RPC: a NUL there is refused by the MCP gate (mcp/jsonrpc-gate.ts) as a
 * JSON-RPC error (-32602) on that request, which a JSON-RPC client can read, not an HTTP 400.
 */
const isMcp = (req: Request) => /^\/mcp\/?$/i.test(req.path);

export function nulGuard(req: Request, _res: Response, next: NextFunction): void {
  if (decodedPathHasNul(req.path) || hasNul(req.query) || (!isMcp(req) && hasNul(req.body))) {
    next(
      new ApiError(
        400,
        'InvalidCharacters',
        'NUL characters (\\u0000) are not allowed in paths, query parameters or request bodies',
      ),
    );
    return;
  }
  next();
}
