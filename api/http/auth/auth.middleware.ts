import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Env } from '../../../common/config';
import type { Logger } from '../../../common/logger';
import type { ErrorBody } from '../api-error';
import { currentRequestContextOrNull } from '../request-context-optional';
import { ApiKeys, presentedKey, RECOMMENDED_KEY_LENGTH } from './api-keys';
import type { RouteTable } from '../routes/route-table';
import { ADMIN_NEEDED_MESSAGE, type KeyRole, satisfies } from './policy';

/**
 * What the request was admitted as. Set on `req.auth` in the shape the MCP SDK's Streamable
 * HTTP transport hands to tool handlers as `extra.authInfo` (mcp/tool.ts checks tool roles
 * with it). The key itself is never stored: `token` stays empty.
 */
export type QuillflowAuth = AuthInfo & { scopes: KeyRole[] };

export const WWW_AUTHENTICATE = 'Bearer realm="quillflow"';

const MISSING = 'Missing API key: send X-API-Key: <key> or Authorization: Bearer <key>';
const INVALID = 'Invalid API key';

function send(res: Response, status: 401 | 403, message: string): void {
  const type = status === 401 ? 'Unauthorized' : 'Forbidden';
  const body: ErrorBody = { error: { type, message, code: type.toUpperCase() }, detail: message };
  if (status === 401) res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
  res.status(status).json(body);
}

/** The same correlation fields the HTTP logger adds. */
function correlation(): { requestId?: string; correlationId?: string } {
  const ctx = currentRequestContextOrNull();
  return ctx ? { requestId: ctx.requestId, correlationId: ctx.correlationId } : {};
}

/**
 * API-key authentication and the role check, for every request (Nest routes, /mcp, static
 * files, docs and unknown paths alike), mounted before the body parsers so a refused request
 * costs no parsing. The role comes from the route table (`@Access` beside each route). With no key configured everything is open (and admin).
 * Keys are never logged: only the method, path and why a request was refused.
 */
export function apiKeyAuth(
  env: Pick<Env, 'API_KEYS' | 'ADMIN_API_KEYS'>,
  logger: Logger,
  routes: Pick<RouteTable, 'requiredRole'>,
): RequestHandler {
  const keys = ApiKeys.fromEnv(env);
  const short = ApiKeys.shortKeys(env);
  if (short > 0) {
    logger.warn(
      { keys: short, recommended: RECOMMENDED_KEY_LENGTH },
      'some API keys are shorter than recommended; use long random keys',
    );
  }
  const open: QuillflowAuth = { token: '', clientId: 'anonymous', scopes: ['admin'] };

  return (req: Request, res: Response, next: NextFunction) => {
    const target = req as Request & { auth?: QuillflowAuth };
    if (!keys.enabled) {
      target.auth = open;
      return next();
    }
    const need = routes.requiredRole(req.method, req.path);
    const key = presentedKey({
      authorization: req.header('authorization'),
      'x-api-key': req.header('x-api-key'),
    });
    const role = key === undefined ? undefined : keys.roleOf(key);
    if (role !== undefined)
      target.auth = { token: '', clientId: `api-key:${role}`, scopes: [role] };
    if (need === 'public') return next();

    const refuse = (status: 401 | 403, reason: string, message: string) => {
      logger.warn(
        {
          ...correlation(),
          context: 'ApiKeyAuth',
          method: req.method,
          path: req.path,
          status,
          reason,
          need,
        },
        'request refused',
      );
      send(res, status, message);
    };
    if (key === undefined) return refuse(401, 'missing key', MISSING);
    if (role === undefined) return refuse(401, 'invalid key', INVALID);
    if (!satisfies(role, need)) return refuse(403, 'admin key needed', ADMIN_NEEDED_MESSAGE);
    next();
  };
}
