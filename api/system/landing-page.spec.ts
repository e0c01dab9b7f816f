import { FAVICON_SVG, renderLandingPage, STORY_ENDPOINTS } from './landing-page';

const info = {
  appName: 'Quillflow',
  version: '1.2.3',
  environment: 'production',
  providerName: 'openrouter',
  model: 'm-1',
  simulated: false,
  temporalUiUrl: 'http://localhost:8233',
  webUiUrl: '/ui/',
};

describe('renderLandingPage', () => {
  it('shows the version and links to docs, health, provider, the web app and the Temporal UI', () => {
    const html = renderLandingPage(info);
    expect(html).toContain('Version 1.2.3');
    for (const href of [
      '/api/docs',
      '/api/redoc',
      '/openapi.json',
      '/health',
      '/api/provider',
      '/api/mcp-status',
      '/logs/',
      '/ui/',
      'http://localhost:8233/',
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
    for (const e of STORY_ENDPOINTS) expect(html).toContain(`POST ${e.path}`);
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes configured values and refuses non-http links', () => {
    const html = renderLandingPage({
      ...info,
      appName: '<img src=x onerror=alert(1)>',
      version: '"><script>',
      temporalUiUrl: 'javascript:alert(1)',
    });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('Temporal Web UI <em>(not configured)</em>');
  });

  it('says so when the simulator stands in for a provider', () => {
    expect(renderLandingPage({ ...info, simulated: true })).toContain('bundled simulator');
  });
});

describe('FAVICON_SVG', () => {
  it('is an SVG star', () => {
    expect(FAVICON_SVG).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(FAVICON_SVG).toContain('<polygon');
  });
});
