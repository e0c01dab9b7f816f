import { startCrashPlatform, type CrashPlatform } from './support/crash-platform';
import { runScenario } from './support/scenario';
jest.setTimeout(900_000);
describe('measure', () => {
  let p: CrashPlatform;
  beforeAll(async () => {
    p = await startCrashPlatform({ name: 'measure', env: { OPENAI_TIMEOUT: '5' } });
    await p.startWorker();
  }, 180_000);
  afterAll(async () => { await p?.close(); });
  for (const fw of [['semantic_kernel']]) {
    it(fw.join('+'), async () => {
      const r = await runScenario(p, { scenario: 'measure', items: 100, window: 40, frameworks: fw, at: [], timeoutMs: 800_000, async disrupt() {} });
      expect(r.stories.stories).toBe(100);
    });
  }
});
