import { escapeHtml, safeHref } from '../http/html';

export interface LandingPageInfo {
  appName: string;
  version: string;
  environment: string;
  providerName: string;
  model: string;
  simulated: boolean;
  temporalUiUrl: string;
  webUiUrl: string;
}

export interface EndpointLink {
  method: string;
  path: string;
  summary: string;
}

/** The story-generating endpoints, shown so a visitor can find them without the docs. */
export const STORY_ENDPOINTS: readonly EndpointLink[] = [
  {
    method: 'POST',
    path: '/api/semantic-kernel',
    summary: 'Story with the Semantic Kernel prompts (waits for the story)',
  },
  {
    method: 'POST',
    path: '/api/langchain',
    summary: 'Story with the LangChain prompts (waits for the story)',
  },
  {
    method: 'POST',
    path: '/api/langgraph',
    summary: 'Story with the LangGraph draft + editor pipeline (waits for the story)',
  },
  {
    method: 'POST',
    path: '/api/stories',
    summary: 'Durable story run: 202 with the workflow id at once, or ?wait=true',
  },
];

function link(href: string | undefined, text: string, note = ''): string {
  const h = safeHref(href);
  const label = escapeHtml(text);
  const body = h ? `<a href="${escapeHtml(h)}">${label}</a>` : `${label} <em>(not configured)</em>`;
  return `<li>${body}${note ? ` <span class="note">${escapeHtml(note)}</span>` : ''}</li>`;
}

/** `GET /`: static HTML, no script; every configured value is escaped and links are http(s) or paths only. */
export function renderLandingPage(i: LandingPageInfo): string {
  const endpoints = STORY_ENDPOINTS.map(
    (e) =>
      `<li><code>${escapeHtml(e.method)} ${escapeHtml(e.path)}</code> <span class="note">${escapeHtml(e.summary)}</span></li>`,
  ).join('\n');
  const provider = i.simulated
    ? `<p class="warn">No LLM provider configured: stories come from the bundled simulator.</p>`
    : `<p>Provider <strong>${escapeHtml(i.providerName)}</strong>, model <code>${escapeHtml(i.model)}</code></p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(i.appName)} API</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:2.5rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{margin-bottom:.2rem}h2{margin-top:1.8rem;font-size:1.15rem}
.meta{color:#52606d}.note{color:#52606d;font-size:.9rem}.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.5rem .8rem}
code{background:#f0f4f8;padding:.1rem .3rem;border-radius:3px}ul{padding-left:1.2rem}li{margin:.25rem 0}
</style>
</head>
<body>
<h1>${escapeHtml(i.appName)}</h1>
<p class="meta">Version ${escapeHtml(i.version)} &middot; ${escapeHtml(i.environment)} &middot; durable AI story generation on Temporal</p>
${provider}
<h2>Explore</h2>
<ul>
${link(i.webUiUrl, 'Web app')}
${link('/api/docs', 'API documentation (Swagger UI)')}
${link('/api/redoc', 'API reference (ReDoc)')}
${link('/openapi.json', 'OpenAPI document')}
${link('/health', 'Health', 'liveness; readiness at /health/ready')}
${link('/api/provider', 'LLM provider')}
${link('/api/mcp-status', 'MCP server', 'stdio and Streamable HTTP at /mcp')}
${link('/logs/', 'Log viewer')}
${link(i.temporalUiUrl, 'Temporal Web UI', 'every generation is a workflow you can inspect')}
</ul>
<h2>Story endpoints</h2>
<ul>
${endpoints}
</ul>
</body>
</html>
`;
}

/** A five-pointed star, served as the favicon (image/svg+xml, like the original). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><polygon points="50,5 61,38 95,38 67,59 78,93 50,72 22,93 33,59 5,38 39,38" fill="#f5b301" stroke="#b07d00" stroke-width="3"/></svg>`;
