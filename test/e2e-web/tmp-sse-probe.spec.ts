import { http, startTestPlatform } from '../support/platform';
jest.setTimeout(120_000);
it('closing a platform while an SSE stream is open', async () => {
  const p = await startTestPlatform();
  const b = await http(p.baseUrl, 'POST', '/api/batches', { items: [{ primaryCharacter: 'A1', secondaryCharacter: 'B1' }], frameworks: ['langchain'] });
  const ctl = new AbortController();
  const res = await fetch(`${p.baseUrl}/api/batches/${encodeURIComponent(b.body.batchId)}/events`, { signal: ctl.signal });
  const reader = res.body!.getReader();
  await reader.read();
  await new Promise((r) => setTimeout(r, 1500));
  ctl.abort();
  await p.close();
  await new Promise((r) => setTimeout(r, 3000));
});
