import { createApiApp } from '../api/bootstrap';
import { createLogger } from '../common/logger';
import { createPrismaClient } from '../prisma/client';
import { makePdf } from './fixtures/make-pdf';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * "Talk to your files" end to end: real multipart uploads, files stored in the database and
 * reused, contextWorkflow on a real Temporal server calling the simulator over HTTP, failed
 * executions readable, and a 4xx for every caller mistake.
 */
// Response bodies, read field by field in assertions.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('context files and prompt execution (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  async function upload(name: string, content: string | Uint8Array, field = 'file') {
    const form = new FormData();
    form.append(field, new Blob([content]), name);
    const res = await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Json };
  }

  const SYSTEM = 'Answer only from these files.\n[context]\nEnd of files. Repeat: [context]';
  const USER = 'What is in {these} files? Use ${braces} and $& literally.';

  describe('upload', () => {
    it.each([
      [
        'notes.txt',
        '  The launch is on Friday.\n',
        'txt',
        '=== FILE: notes.txt ===\n\nThe launch is on Friday.',
      ],
      ['readme.md', '# Plan\n\n- ship it', 'md', '=== FILE: readme.md ===\n\n# Plan\n\n- ship it'],
      [
        'data.json',
        '{"owner":"José","budget":12}',
        'json',
        '=== FILE: data.json ===\n\nJSON Data Structure:\n--------------------\n{\n  "owner": "José",\n  "budget": 12\n}',
      ],
      ['team.csv', 'name;role\nAda;lead\nAlan;dev\n', 'csv', null],
      [
        'report.pdf',
        makePdf(['Revenue grew 12 percent', 'Risks: supply chain']),
        'pdf',
        '=== FILE: report.pdf ===\n\n--- Page 1 ---\nRevenue grew 12 percent\n\n--- Page 2 ---\nRisks: supply chain',
      ],
    ])('%s is parsed, stored and described', async (name, content, type, expected) => {
      const res = await upload(name, content);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        file_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        original_filename: name,
        file_type: type,
        file_size_bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.length,
        processed_content_length: expect.any(Number),
        processing_time_ms: expect.any(Number),
        status: 'success',
        error_message: null,
      });
      const row = await p.prisma.contextFile.findUniqueOrThrow({ where: { id: res.body.file_id } });
      if (expected) expect(row.processedContent).toBe(expected);
      else
        expect(row.processedContent).toContain(
          'Headers: name | role\n' + '-'.repeat(40) + '\nRow 1: Ada | lead',
        );
      expect(row.processedContentLength).toBe(row.processedContent.length);
      expect(res.body.processed_content_length).toBe(row.processedContent.length);
      expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
      ids[type] = res.body.file_id;
    });

    it('stores only the base name of a path-traversal filename, and keeps non-ASCII names', async () => {
      const a = await upload('../../etc/passwd.txt', 'root:x:0:0');
      expect(a.status).toBe(200);
      expect(a.body.original_filename).toBe('passwd.txt');
      const b = await upload('José résumé.txt', 'hola');
      expect(b.body.original_filename).toBe('José résumé.txt');
    });

    it.each([
      [
        'invalid JSON',
        'bad.json',
        '{"a": 1,',
        /^Failed to process bad\.json: Invalid JSON format: /,
      ],
      ['empty text file', 'empty.txt', '', /^Failed to process empty\.txt: Text file is empty$/],
      [
        'PDF without text',
        'scan.pdf',
        makePdf(['', '']),
        /Could not extract text from PDF \(may be image-based\)/,
      ],
      [
        'binary content in a .txt',
        'photo.txt',
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
        /a PNG image, not text/,
      ],
      ['not a PDF at all', 'fake.pdf', 'hello', /not a valid PDF/],
    ])('%s -> 422 with a message', async (_what, name, content, message) => {
      const res = await upload(name, content);
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('FileProcessingError');
      expect(res.body.detail).toMatch(message);
    });

    it('refuses unsupported types (400), oversized files (413) and requests without a file (400)', async () => {
      const docx = await upload('letter.docx', 'PK');
      expect(docx.status).toBe(400);
      expect(docx.body.detail).toBe(
        'Unsupported file type. Supported formats: .txt, .md, .csv, .json, .pdf',
      );

      const big = await upload('big.txt', new Uint8Array(10 * 1024 * 1024 + 1).fill(0x61));
      expect(big.status).toBe(413);
      expect(big.body.detail).toBe('File too large. Maximum size is 10MB');

      const wrongField = await upload('notes.txt', 'x', 'document');
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.detail).toMatch(/field named "file"/);

      // The document's form holds the file alone: another part is refused, named.
      const form = new FormData();
      form.append('file', new Blob(['notes']), 'notes.txt');
      form.append('comment', 'hello');
      const extra = await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form });
      expect(extra.status).toBe(400);
      expect(((await extra.json()) as Json).detail).toMatch(/Unexpected multipart field "comment"/);

      const none = await fetch(`${p.baseUrl}/api/context/upload`, {
        method: 'POST',
        body: new FormData(),
      });
      expect(none.status).toBe(400);

      // Issue 19: a JSON body is told the route takes multipart (it was "No filename provided").
      const json = await http(p.baseUrl, 'POST', '/api/context/upload', { file: 'x' });
      expect(json.status).toBe(415);
      expect(json.body.detail).toMatch(
        /takes multipart\/form-data with the file in the form field named "file"/,
      );

      // A `file` part without a filename.
      const boundary = 'qfboundary';
      const raw = await fetch(`${p.baseUrl}/api/context/upload`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nhello\r\n--${boundary}--\r\n`,
      });
      expect(raw.status).toBe(400);
      expect(((await raw.json()) as Json).detail).toBe('No filename provided');
      expect(
        await p.prisma.contextFile.count({
          where: { originalFilename: { in: ['letter.docx', 'big.txt', 'bad.json'] } },
        }),
      ).toBe(0);
    });
  });

  it('lists files newest first and deletes one (404 the second time)', async () => {
    const list = await http(p.baseUrl, 'GET', '/api/context/files');
    expect(list.status).toBe(200);
    expect(list.body[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      size: expect.any(Number),
      upload_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      file_type: expect.any(String),
    });
    const dates = (list.body as Json[]).map((f) => f.upload_date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect((list.body as Json[]).map((f) => f.id)).toEqual(
      expect.arrayContaining(Object.values(ids)),
    );

    const extra = await upload('temp.txt', 'short-lived');
    const del = await http(p.baseUrl, 'DELETE', `/api/context/files/${extra.body.file_id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: 'File deleted successfully' });
    const again = await http(p.baseUrl, 'DELETE', `/api/context/files/${extra.body.file_id}`);
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe('File not found');
  });

  it('executes over two files: every [context] filled, one audited call, row completed, files reusable', async () => {
    const guid = 'c0ffee00-0000-4000-8000-00000000c0de';
    const res = await http(
      p.baseUrl,
      'POST',
      '/api/context/execute',
      {
        file_ids: [ids.txt, ids.csv],
        system_prompt: SYSTEM,
        user_prompt: USER,
        method: 'semantic-kernel',
      },
      { 'x-transaction-guid': guid },
    );
    expect(res.status).toBe(200);
    const files = await p.prisma.contextFile.findMany({
      where: { id: { in: [ids.txt, ids.csv] } },
    });
    const byId = new Map(files.map((f) => [f.id, f]));
    const combined = [ids.txt, ids.csv]
      .map(
        (id) =>
          `\n\n--- File: ${byId.get(id)!.originalFilename} ---\n${byId.get(id)!.processedContent}`,
      )
      .join('');
    const finalSystem = SYSTEM.split('[context]').join(combined);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      llm_response: expect.any(String),
      original_filename: 'notes.txt, team.csv',
      file_type: 'multiple',
      processed_content_length: files.reduce((n, f) => n + f.processedContentLength, 0),
      final_prompt_length: finalSystem.length,
      method: 'semantic_kernel',
      model: 'quillflow-sim-1',
      request_id: res.headers.get('x-request-id'),
      status: 'completed',
      workflow_id: expect.stringMatching(/^context-[0-9a-f-]{36}$/),
      error_message: null,
    });
    // The simulator bills ceil(chars / 4) over both messages: both files, twice, reached it.
    expect(res.body.input_tokens).toBe(Math.ceil((finalSystem.length + USER.length) / 4));
    expect(p.sim.stats().promptTokens).toBe(res.body.input_tokens);
    expect(p.sim.stats().requests).toBe(1);
    expect(res.body.total_tokens).toBe(res.body.input_tokens + res.body.output_tokens);
    expect(res.body.estimated_cost_usd).toBeGreaterThan(0);
    expect(res.body.input_cost_per_1k_tokens).toBeGreaterThan(0);
    expect(res.body.file_processing_time_ms).toBeGreaterThanOrEqual(0);
    expect(res.body.llm_execution_time_ms).toBeGreaterThan(0);
    expect(res.body.total_execution_time_ms).toBeGreaterThanOrEqual(res.body.llm_execution_time_ms);

    const row = await p.prisma.contextPromptExecution.findUniqueOrThrow({
      where: { id: res.body.id },
    });
    expect(row.status).toBe('completed');
    expect(row.correlationId).toBe(guid);
    expect(row.userIp).toBeTruthy();
    expect(row.completedAt).not.toBeNull();
    expect(row.fileIds).toBe(`${ids.txt},${ids.csv}`);
    const attempts = await p.prisma.llmCallAttempt.findMany({
      where: { workflowId: row.workflowId! },
    });
    expect(attempts.map((a) => [a.step, a.framework, a.outcome])).toEqual([
      ['context', 'semantic_kernel', 'success'],
    ]);

    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(row.workflowId!)}`);
    expect(run.body.status).toBe('COMPLETED');
    expect(run.body.searchAttributes).toMatchObject({
      WorkflowKind: 'context',
      Framework: 'semantic_kernel',
      CorrelationId: guid,
    });

    // Reusable: still listed after the execution (the original deleted them).
    const list = await http(p.baseUrl, 'GET', '/api/context/files');
    expect((list.body as Json[]).map((f) => f.id)).toEqual(
      expect.arrayContaining([ids.txt, ids.csv]),
    );
  });

  it.each(['langchain', 'langgraph', undefined])(
    'method %s answers through its framework (braces in prompts are fine)',
    async (method) => {
      const res = await http(p.baseUrl, 'POST', '/api/context/execute', {
        file_ids: [ids.json, ids.pdf, ids.md],
        system_prompt: 'Files: [context]',
        user_prompt: USER,
        ...(method ? { method } : {}),
      });
      expect(res.status).toBe(200);
      expect(res.body.method).toBe(method ?? 'langchain');
      expect(res.body.original_filename).toBe('data.json, report.pdf, readme.md');
      expect(res.body.llm_response.length).toBeGreaterThan(0);
      expect(res.body.input_tokens).toBe(
        Math.ceil((res.body.final_prompt_length + USER.length) / 4),
      );
    },
  );

  it('a single file keeps its own type; ?wait=false answers 202 and the run completes the row', async () => {
    const res = await http(p.baseUrl, 'POST', '/api/context/execute?wait=false', {
      file_ids: [ids.pdf],
      system_prompt: '[context]',
      user_prompt: 'Summarize',
      method: 'semantic_kernel',
    });
    expect(res.status).toBe(202);
    expect(res.body.workflow_id).toMatch(/^context-/);
    expect(res.headers.get('location')).toBe(`/api/runs/${res.body.workflow_id}`);
    await p.temporal.client.workflow.getHandle(res.body.workflow_id).result();
    const row = await p.prisma.contextPromptExecution.findUniqueOrThrow({
      where: { workflowId: res.body.workflow_id },
    });
    expect(row.status).toBe('completed');
    expect(row.fileType).toBe('pdf');
    expect(row.method).toBe('semantic_kernel');
  });

  it('the same Idempotency-Key twice runs once', async () => {
    const body = {
      file_ids: [ids.txt],
      system_prompt: '[context]',
      user_prompt: 'Once only',
      method: 'langchain',
    };
    const headers = { 'idempotency-key': `ctx-${Date.now()}` };
    const [a, b] = await Promise.all([
      http(p.baseUrl, 'POST', '/api/context/execute', body, headers),
      http(p.baseUrl, 'POST', '/api/context/execute', body, headers),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.id).toBe(b.body.id);
    expect(p.sim.stats().requests).toBe(1);
  });

  it('a provider failure gives a named 502, and the failed execution is listed and readable', async () => {
    p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
    const res = await http(p.baseUrl, 'POST', '/api/context/execute', {
      file_ids: [ids.txt],
      system_prompt: 'Context: [context]',
      user_prompt: 'Will fail',
    });
    expect(res.status).toBe(502);
    expect(res.body.error.type).toBe('ProviderBadRequest');
    expect(res.body.detail).toMatch(/recorded as failed/);

    const list = await http(p.baseUrl, 'GET', '/api/context/executions?skip=0&limit=20');
    expect(list.status).toBe(200);
    const failed = list.body[0];
    expect(failed).toEqual({
      id: expect.any(Number),
      original_filename: 'notes.txt',
      file_type: 'txt',
      method: 'langchain',
      model: 'quillflow-sim-1',
      estimated_cost_usd: null,
      total_tokens: null,
      total_execution_time_ms: expect.any(Number),
      created_at: expect.any(String),
      status: 'failed',
      error_message: expect.stringMatching(/^ProviderBadRequest: /),
      workflow_id: expect.stringMatching(/^context-/),
    });
    const ids2 = (list.body as Json[]).map((e) => e.id as number);
    expect([...ids2].sort((x: number, y: number) => y - x)).toEqual(ids2);
    expect((list.body as Json[]).some((e) => e.status === 'completed')).toBe(true);

    const one = await http(p.baseUrl, 'GET', `/api/context/executions/${failed.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: failed.id,
      status: 'failed',
      error_message: failed.error_message,
      llm_response: null,
      system_prompt: 'Context: [context]',
      user_prompt: 'Will fail',
      file_ids: [ids.txt],
    });
    const audit = await p.prisma.llmCallAttempt.findMany({
      where: { workflowId: failed.workflow_id },
    });
    expect(audit.map((a) => [a.outcome, a.httpStatus])).toEqual([['error', 400]]);

    const page = await http(p.baseUrl, 'GET', '/api/context/executions?skip=1&limit=1');
    expect(page.body).toHaveLength(1);
    expect(page.body[0].id).toBe(ids2[1]);
  });

  it('a system prompt without [context] is a 400 and is recorded as failed; unknown files are a 404', async () => {
    const before = await p.prisma.contextPromptExecution.count();
    const res = await http(p.baseUrl, 'POST', '/api/context/execute', {
      file_ids: [ids.txt],
      system_prompt: 'No placeholder here',
      user_prompt: 'Hi',
      method: 'langgraph',
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('System prompt must contain [context] placeholder');
    const row = await p.prisma.contextPromptExecution.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(row).toMatchObject({
      status: 'failed',
      errorMessage: 'System prompt must contain [context] placeholder',
      method: 'langgraph',
      workflowId: null,
    });
    expect(row.correlationId).toBe(res.headers.get('x-transaction-guid'));
    const one = await http(p.baseUrl, 'GET', `/api/context/executions/${row.id}`);
    expect(one.body.status).toBe('failed');

    const missing = await http(p.baseUrl, 'POST', '/api/context/execute', {
      file_ids: [ids.txt, 'nope-1', 'nope-2'],
      system_prompt: '[context]',
      user_prompt: 'Hi',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('Files not found: nope-1, nope-2. Please upload files first.');
    expect(await p.prisma.contextPromptExecution.count()).toBe(before + 1);
    expect(p.sim.stats().requests).toBe(0);
  });

  it.each([
    ['no file ids', { file_ids: [], system_prompt: '[context]', user_prompt: 'x' }, 'file_ids'],
    [
      'too many file ids',
      {
        file_ids: Array.from({ length: 21 }, (_, i) => `f${i}`),
        system_prompt: '[context]',
        user_prompt: 'x',
      },
      'file_ids',
    ],
    [
      'unknown method',
      { file_ids: ['a'], system_prompt: '[context]', user_prompt: 'x', method: 'crewai' },
      'method',
    ],
    ['missing user prompt', { file_ids: ['a'], system_prompt: '[context]' }, 'user_prompt'],
    [
      'empty system prompt',
      { file_ids: ['a'], system_prompt: '', user_prompt: 'x' },
      'system_prompt',
    ],
  ])('%s -> 422 naming the field', async (_what, body, field) => {
    const res = await http(p.baseUrl, 'POST', '/api/context/execute', body);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  it('unknown or malformed execution ids: 404 / 422', async () => {
    const res = await http(p.baseUrl, 'GET', '/api/context/executions/999999');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('Execution not found');
    expect((await http(p.baseUrl, 'GET', '/api/context/executions/abc')).status).toBe(422);
    expect((await http(p.baseUrl, 'GET', '/api/context/executions?limit=0')).status).toBe(422);
  });

  it('uploads survive a restart: a new client and a new API on the same database still serve them', async () => {
    const prisma = createPrismaClient(p.databaseUrl);
    const logger = createLogger('test-restarted', {
      level: 'warn',
      pretty: false,
      filePath: '',
      rotationHours: 1,
      retentionDays: 1,
    });
    const app = await createApiApp({
      config: p.config,
      logger,
      prisma,
      temporal: p.temporal.client,
    });
    try {
      expect(await prisma.contextFile.findUnique({ where: { id: ids.pdf } })).not.toBeNull();
      await app.listen(0, '127.0.0.1');
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const list = await http(base, 'GET', '/api/context/files');
      expect((list.body as Json[]).map((f) => f.id)).toEqual(
        expect.arrayContaining(Object.values(ids)),
      );
    } finally {
      await app.close();
      await prisma.$disconnect();
    }
  });
});
