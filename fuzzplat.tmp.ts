import { startTestPlatform } from '/work/wt-contract/test/support/platform';
async function main() {
  const p = await startTestPlatform({ SIMULATOR_LATENCY_MS: '0' });
  console.log('BASE', p.baseUrl);
  process.on('SIGTERM', () => { void p.close().then(() => process.exit(0)); });
}
void main();
