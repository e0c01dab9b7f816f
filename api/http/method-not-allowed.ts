import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'trace'] as const;

/** The methods a path answers, per the OpenAPI document; none for a path it does not have. */
export type AllowedMethods = (path: string) => string[];

/**
 * From the OpenAPI document: for a request path, the methods of every operation whose template
 * matches it (`/api/stories/{id}` matches `/api/stories/7`), with HEAD wherever GET is (Express
 * answers HEAD with the GET route). As OpenAPI matches, a concrete path comes before a template:
 * `/api/chat/conversations` has GET and DELETE, not the POST of `/api/chat/{framework}`. The
 * error filter uses it to answer 405 with `Allow` when a route exists but not for the method sent.
 */
export function allowedMethods(document: OpenAPIObject): AllowedMethods {
  const routes = Object.entries(document.paths).map(([template, item]) => {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const methods = METHODS.filter((m) => item[m] !== undefined).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const templated = (template.match(/\{[^}]+\}/g) ?? []).length;
    // Express routes ignore case and a trailing slash.
    return { pattern: new RegExp(`^${source}/?$`, 'i'), methods, templated };
  });
  return (path) => {
    const matching = routes.filter((r) => r.pattern.test(path));
    const fewest = Math.min(...matching.map((r) => r.templated));
    const allowed = new Set(
      matching.filter((r) => r.templated === fewest).flatMap((r) => r.methods),
    );
    return [...allowed].sort();
  };
}
