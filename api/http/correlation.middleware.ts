import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContextStorage } from './request-context';

// A caller may supply its own transaction GUID (the original ignored it) so its logs and
// ours line up; anything that isn't a plain token is replaced rather than trusted.
const ACCEPTABLE_GUID = /^[A-Za-z0-9-]{8,64}$/;

export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-transaction-guid');
  const correlationId = incoming && ACCEPTABLE_GUID.test(incoming) ? incoming : randomUUID();
  const requestId = (req as Request & { id?: string }).id?.toString() ?? randomUUID();
  res.setHeader('X-Request-ID', requestId);
  res.setHeader('X-Transaction-GUID', correlationId);
  requestContextStorage.run({ requestId, correlationId, clientIp: req.ip }, next);
}
