/**
 * Provider-specific default headers, as the original sent them (REFERENCE §3.2):
 * openrouter adds nothing; `custom` adds its identification/debug set; any other provider gets
 * X-App-Name/X-App-Version. PROVIDER_HEADERS (JSON) is the base and wins on conflicts only
 * where the original let it (it is applied first, then the provider set).
 */
export interface HeaderInputs {
  providerName: string;
  apiKey: string;
  extra: Record<string, string>;
  appName: string;
  appVersion: string;
  debug: boolean;
  apiTimeoutSeconds: number;
  customVar?: string;
  rateLimitingEnabled: boolean;
}

export function providerDefaultHeaders(i: HeaderInputs): Record<string, string> {
  const headers: Record<string, string> = { ...i.extra };
  const name = i.providerName.toLowerCase();
  if (name === 'openrouter') return headers;
  if (name === 'custom') {
    Object.assign(headers, {
      'X-API-Key': i.apiKey,
      'X-Provider-Type': 'custom',
      'X-Request-Source': 'quillflow',
      'X-App-Name': i.appName,
      'X-App-Version': i.appVersion,
      'X-Timeout': String(i.apiTimeoutSeconds),
    });
    if (i.debug) Object.assign(headers, { 'X-Debug-Mode': 'enabled', 'X-Debug-Level': 'verbose' });
    if (i.customVar)
      Object.assign(headers, { 'X-Custom-Var': i.customVar, 'X-Custom-Data': i.customVar });
    if (i.rateLimitingEnabled) headers['X-Rate-Limit-Enabled'] = 'true';
    return headers;
  }
  headers['X-App-Name'] = i.appName;
  headers['X-App-Version'] = i.appVersion;
  return headers;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'cookie']);

/** For logs: same headers with secret values masked. */
export function maskHeaders(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? '***' : v]),
  );
}
