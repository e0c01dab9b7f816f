import { type RequestContext, requestContextStorage } from './request-context';

export function currentRequestContextOrNull(): RequestContext | undefined {
  return requestContextStorage.getStore();
}
