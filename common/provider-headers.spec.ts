import { maskHeaders, providerDefaultHeaders } from './provider-headers';

const base = {
  apiKey: 'sk-secret',
  extra: { 'X-Extra': '1' },
  appName: 'Quillflow',
  appVersion: '1.2.3',
  debug: true,
  apiTimeoutSeconds: 30,
  customVar: 'cv',
  rateLimitingEnabled: true,
};

describe('providerDefaultHeaders', () => {
  it('adds nothing for openrouter', () => {
    expect(providerDefaultHeaders({ ...base, providerName: 'OpenRouter' })).toEqual({
      'X-Extra': '1',
    });
  });
  it('adds the custom set', () => {
    const h = providerDefaultHeaders({ ...base, providerName: 'custom' });
    expect(h).toMatchObject({
      'X-API-Key': 'sk-secret',
      'X-Provider-Type': 'custom',
      'X-Debug-Mode': 'enabled',
      'X-Custom-Var': 'cv',
      'X-Custom-Data': 'cv',
      'X-Rate-Limit-Enabled': 'true',
      'X-Timeout': '30',
    });
    expect(maskHeaders(h)['X-API-Key']).toBe('***');
  });
  it('adds app name/version for others', () => {
    expect(providerDefaultHeaders({ ...base, providerName: 'azure' })).toEqual({
      'X-Extra': '1',
      'X-App-Name': 'Quillflow',
      'X-App-Version': '1.2.3',
    });
  });
});
