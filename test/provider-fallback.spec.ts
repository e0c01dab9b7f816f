import { startSimulator } from '../simulator/server';
import type { Simulator } from '../simulator/types';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * A fallback provider (PROVIDER_FALLBACKS) is called under its own settings: another model may
 * allow less output or want another temperature. The primary simulator answers 503 throughout,
 * so every call fails over to the second one, which records what each request asked for.
 */
const BACKUP_MAX_TOKENS = 12;
const BACKUP_TEMPERATURE = 0.2;

jest.setTimeout(120_000);

describe('fallback providers answer under their own maxTokens and temperature', () => {
  let p: TestPlatform;
  let backup: Simulator;
  beforeAll(async () => {
    backup = await startSimulator({ port: 0 });
    p = await startTestPlatform({
      MAX_TOKENS: '1000',
      TEMPERATURE: '0.7',
      PROVIDER_FALLBACKS: JSON.stringify([
        {
          name: 'backup',
          baseUrl: backup.url,
          apiKey: 'sk-backup-not-real',
          model: 'gpt-4o-mini',
          maxTokens: BACKUP_MAX_TOKENS,
          temperature: BACKUP_TEMPERATURE,
        },
      ]),
    });
    p.sim.setFaults({ rules: [{ fault: '503', forSeconds: 600 }] });
  });
  afterAll(async () => {
    await p?.close();
    await backup?.close();
  });

  const backupCalls = () => backup.stats().recent.filter((r) => r.status === 200);

  it.each([
    [
      'a Semantic Kernel chat turn',
      '/api/chat/semantic-kernel',
      { message: 'Tell me a long tale.' },
    ],
    [
      'a LangChain story',
      '/api/langchain',
      { primary_character: 'Ada', secondary_character: 'Grace' },
    ],
  ])('%s that fails over is sent with the fallback’s settings', async (_what, path, body) => {
    backup.reset();
    const res = await http(p.baseUrl, 'POST', path, body);
    expect(res.status).toBe(200);
    const calls = backupCalls();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const c of calls) {
      expect([c.model, c.maxTokens, c.temperature]).toEqual([
        'gpt-4o-mini',
        BACKUP_MAX_TOKENS,
        BACKUP_TEMPERATURE,
      ]);
      expect(c.completionTokens).toBeLessThanOrEqual(BACKUP_MAX_TOKENS);
    }
    // The audit trail says who answered, and the primary's refusals are there too.
    const rows = await p.prisma.llmCallAttempt.findMany({
      where: { createdAt: { gte: new Date(Date.now() - 60_000) } },
      orderBy: { id: 'desc' },
      take: 10,
      select: { provider: true, outcome: true, outputTokens: true },
    });
    const answered = rows.find((r) => r.outcome === 'success');
    expect(answered).toMatchObject({ provider: 'backup' });
    expect(answered!.outputTokens).toBeLessThanOrEqual(BACKUP_MAX_TOKENS);
  });
});
