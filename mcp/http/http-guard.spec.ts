import { loadConfig } from '../../common/config';
import { checkMcpHttpRequest, mcpHttpPolicy } from './http-guard';

const policy = (env: Record<string, string> = {}) =>
  mcpHttpPolicy(loadConfig({ LOG_FILE_PATH: '', ...env }).env);

describe('MCP HTTP guard', () => {
  it.each(['localhost:8000', '127.0.0.1:41234', '[::1]:8000', 'LOCALHOST'])(
    'allows the local host %s',
    (host) => {
      expect(checkMcpHttpRequest({ host }, policy())).toBeUndefined();
    },
  );

  it.each([undefined, 'evil.example', 'evil.example:8000', '127.0.0.1.evil.example', 'bad host'])(
    'refuses host %s with 403',
    (host) => {
      expect(checkMcpHttpRequest({ host }, policy())).toMatchObject({ status: 403 });
    },
  );

  it('allows configured hosts and the PUBLIC_URL host, any port', () => {
    const p = policy({
      MCP_ALLOWED_HOSTS: 'mcp.internal',
      PUBLIC_URL: 'https://quillflow.example.com',
    });
    expect(checkMcpHttpRequest({ host: 'mcp.internal:9000' }, p)).toBeUndefined();
    expect(checkMcpHttpRequest({ host: 'quillflow.example.com' }, p)).toBeUndefined();
    expect(
      checkMcpHttpRequest(
        { host: 'quillflow.example.com', origin: 'https://quillflow.example.com' },
        p,
      ),
    ).toBeUndefined();
  });

  it('MCP_ALLOWED_HOSTS=* turns the host check off but keeps foreign origins out', () => {
    const p = policy({ MCP_ALLOWED_HOSTS: '*' });
    expect(checkMcpHttpRequest({ host: 'anything.example' }, p)).toBeUndefined();
    expect(
      checkMcpHttpRequest({ host: 'anything.example', origin: 'http://localhost:6274' }, p),
    ).toBeUndefined();
    expect(
      checkMcpHttpRequest({ host: 'anything.example', origin: 'https://evil.example' }, p),
    ).toMatchObject({ status: 403 });
  });

  it.each([
    ['http://localhost:5173', undefined],
    ['http://127.0.0.1:3000', undefined],
    ['https://evil.example', 403],
    ['null', 403],
    ['not a url', 403],
  ])('origin %s', (origin, status) => {
    const r = checkMcpHttpRequest({ host: 'localhost:8000', origin }, policy());
    expect(r?.status).toBe(status);
  });

  it('allows exactly the configured origins', () => {
    const p = policy({ MCP_ALLOWED_ORIGINS: 'https://app.example.com/' });
    expect(
      checkMcpHttpRequest({ host: 'localhost', origin: 'https://app.example.com' }, p),
    ).toBeUndefined();
    expect(
      checkMcpHttpRequest({ host: 'localhost', origin: 'https://app.example.com:8443' }, p),
    ).toMatchObject({ status: 403 });
  });
});
