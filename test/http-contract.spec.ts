import { MULTIPART_ROUTES } from '../api/http/content-type.middleware';
import { startApiOnly, type ApiOnly } from './support/api-only';

/**
 * Issue 19, messages and codes: what a client that sends the wrong kind of body, method or name
 * is told. Bodies that are JSON but not objects are 400s that say so; forms, UTF-16 and other
 * media types are 415s; the upload route says it takes multipart; a method a path does not
 * have is a 405 with Allow; control characters in names are normalised as the document says.
 */
describe('HTTP contract: bodies, media types, methods, names', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.close();
  });

  const send = async (
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(api.baseUrl + path, { method, headers, body });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as {
        error: { type: string; message: string; details?: { field: string }[] };
      },
    };
  };
  const json = { 'content-type': 'application/json' };

  it.each([
    ['null', 'null'],
    ['true', 'a boolean'],
    ['123', 'a number'],
    ['"text"', 'a string'],
  ])('answers the body %s with 400 "must be a JSON object"', async (body, got) => {
    const res = await send('POST', '/api/stories', body, json);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'InvalidBody',
      message: `Request body must be a JSON object (got ${got})`,
    });
  });

  it('keeps malformed JSON a 400 that says so', async () => {
    const res = await send('POST', '/api/stories', '{"a":', json);
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('MalformedJson');
  });

  it.each([
    [
      'a form',
      'application/x-www-form-urlencoded',
      'primaryCharacter=Ann&secondaryCharacter=Ben&framework=langchain',
      /as JSON with Content-Type: application\/json \(got application\/x-www-form-urlencoded\)/,
    ],
    [
      'UTF-16 JSON',
      'application/json; charset=utf-16',
      Buffer.from('{"a":1}', 'utf16le'),
      /in UTF-8 \(got charset=utf-16\)/,
    ],
    ['text', 'text/plain', '{"a":1}', /got text\/plain/],
    ['no type at all', '', Buffer.from('{"a":1}'), /got no Content-Type/],
  ])('refuses %s on a JSON route with 415', async (_what, type, body, message) => {
    const res = await send('POST', '/api/stories', body, type ? { 'content-type': type } : {});
    expect(res.status).toBe(415);
    expect(res.body.error.type).toBe('UnsupportedMediaType');
    expect(res.body.error.message).toMatch(message);
  });

  it('takes multipart on exactly the routes whose documented body is multipart', async () => {
    const doc = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    const multipart = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.values(item).some((op) => op.requestBody?.content['multipart/form-data'] !== undefined)
        ? [path]
        : [],
    );
    expect(multipart).toEqual([...MULTIPART_ROUTES]);
  });

  it('tells a JSON upload that it needs multipart', async () => {
    const res = await send('POST', '/api/context/upload', '{"file":"x"}', json);
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(
      /takes multipart\/form-data with the file in the form field named "file"/,
    );
  });

  it('lets an empty POST through (no body, no type needed)', async () => {
    expect((await send('POST', '/api/runs/story-nope/cancel')).status).toBe(404);
  });

  it.each([
    ['PUT', '/api/stories', 'DELETE, GET, HEAD, POST'],
    ['PATCH', '/api/stories/1', 'GET, HEAD'],
    ['DELETE', '/api/runs/story-x', 'GET, HEAD'],
    ['GET', '/api/runs/story-x/cancel', 'POST'],
    // A concrete path before a template: POST /api/chat/{framework} must not take it.
    ['POST', '/api/chat/conversations', 'DELETE, GET, HEAD'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await send(method, path);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.body.error.type).toBe('MethodNotAllowed');
  });

  it('keeps 404 for paths that do not exist', async () => {
    expect((await send('PUT', '/api/nope')).status).toBe(404);
  });

  it('answers 405 to a chat message sent to /api/chat/conversations, 404 to an unknown framework', async () => {
    const message = JSON.stringify({ message: 'Hello' });
    const conversations = await send('POST', '/api/chat/conversations', message, json);
    expect(conversations.status).toBe(405);
    expect(conversations.headers.get('allow')).toBe('DELETE, GET, HEAD');
    expect((await send('POST', '/api/chat/nope', message, json)).status).toBe(404);
  });

  it('declares Idempotency-Key once, optional, and checks its format even on a dry run', async () => {
    const doc = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    for (const path of ['/api/stories', '/api/langchain', '/api/batches', '/api/context/execute']) {
      const headers = (doc.paths[path].post.parameters ?? []).filter((q) => q.in === 'header');
      expect(headers).toEqual([
        expect.objectContaining({ name: 'Idempotency-Key', required: false }),
      ]);
    }
    const dryRun = JSON.stringify({
      items: [{ primaryCharacter: 'Ada', secondaryCharacter: 'Bo' }],
      frameworks: ['langchain'],
      dryRun: true,
    });
    const res = await send('POST', '/api/batches', dryRun, { ...json, 'idempotency-key': 'a b' });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('InvalidIdempotencyKey');
  });

  it('documents the normalisation of names in the OpenAPI document, and applies it', async () => {
    const doc = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
      paths: Record<
        string,
        {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    properties: Record<
                      string,
                      { description: string; pattern: string; maxLength: number }
                    >;
                  };
                };
              };
            };
          };
        }
      >;
    };
    const name =
      doc.paths['/api/stories'].post.requestBody.content['application/json'].schema.properties
        .primaryCharacter;
    expect(name).toMatchObject({ minLength: 1, maxLength: 100 });
    expect(name.description).toMatch(
      /control characters removed, each run of whitespace made one space/,
    );
    const res = await send(
      'POST',
      '/api/stories?wait=false',
      JSON.stringify({
        primaryCharacter: '\u0007',
        secondaryCharacter: 'Ben',
        framework: 'langchain',
      }),
      json,
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ field: 'body -> primaryCharacter' }),
    ]);
  });
});
