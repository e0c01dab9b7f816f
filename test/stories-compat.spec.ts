import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * The original's story routes: `POST /api/{framework}` (wait, 200, StoryResponse), listing,
 * character search and delete-all, with their 4xx for bad input and named 5xx for provider
 * failures.
 */
const STORY_RESPONSE_FIELDS = [
  'id',
  'story',
  'primary_character',
  'secondary_character',
  'framework',
  'created_at',
  'generation_time_ms',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'request_id',
  'transaction_guid',
  'estimated_cost_usd',
  'input_cost_per_1k_tokens',
  'output_cost_per_1k_tokens',
];
const STORY_LIST_FIELDS = [
  'id',
  'primary_character',
  'secondary_character',
  'combined_characters',
  'story_preview',
  'framework',
  'model',
  'generation_time_ms',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'created_at',
  'transaction_guid',
  'estimated_cost_usd',
  'input_cost_per_1k_tokens',
  'output_cost_per_1k_tokens',
];

let seq = 0;
async function insertStory(
  p: TestPlatform,
  primary: string,
  secondary: string,
  over: { createdAt?: Date; content?: string } = {},
) {
  seq += 1;
  return p.prisma.story.create({
    data: {
      primaryCharacter: primary,
      secondaryCharacter: secondary,
      combinedCharacters: `${primary} and ${secondary}`,
      storyContent: over.content ?? `A story about ${primary} and ${secondary}.`,
      method: 'langchain',
      model: 'quillflow-sim-1',
      provider: 'simulator',
      correlationId: `guid-${seq}`,
      workflowId: `story-seeded-${seq}-${Date.now()}`,
      estimatedCostUsd: '0.001000',
      totalTokens: 100,
      createdAt: over.createdAt ?? new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    },
  });
}

describe('story compatibility routes', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    // A 429 is waited out within an attempt up to this long (issue 15): short, so a provider
    // that never stops refusing fails the request within seconds here.
    p = await startTestPlatform({ PROVIDER_MAX_WAIT_SECONDS: '1' });
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(async () => {
    p.sim.reset();
    await p.prisma.story.deleteMany({});
  });

  describe('POST /api/{framework}', () => {
    it('waits for the story and answers 200 with the original StoryResponse fields', async () => {
      const guid = 'c0ffee00-0000-4000-8000-000000000042';
      const res = await http(
        p.baseUrl,
        'POST',
        '/api/langchain',
        { primary_character: "O'Brien", secondary_character: 'José' },
        {
          'x-transaction-guid': guid,
        },
      );
      expect(res.status).toBe(200);
      for (const f of STORY_RESPONSE_FIELDS) expect(res.body).toHaveProperty(f);
      expect(res.body).toMatchObject({
        framework: 'langchain',
        primary_character: "O'Brien",
        secondary_character: 'José',
        transaction_guid: guid,
      });
      expect(res.body.total_tokens).toBe(res.body.input_tokens + res.body.output_tokens);
      expect(res.body.estimated_cost_usd).toBeGreaterThan(0);
      expect(res.body.input_cost_per_1k_tokens).toBe(0.0005);
      expect(res.body.output_cost_per_1k_tokens).toBe(0.0015);
      expect(Number.isNaN(Date.parse(res.body.created_at))).toBe(false);
      const row = await p.prisma.story.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.storyContent).toBe(res.body.story);
      expect(row.correlationId).toBe(guid);
      expect(row.requestId).toBe(res.body.request_id);
    });

    it('extra body fields are ignored, as pydantic did', async () => {
      const res = await http(p.baseUrl, 'POST', '/api/semantic-kernel', {
        primary_character: 'Elf #1',
        secondary_character: 'Rudolph',
        extra: 1,
      });
      expect(res.status).toBe(200);
      expect(res.body.framework).toBe('semantic_kernel');
    });

    it.each([
      ['missing secondary', { primary_character: 'Alice' }, 'secondary_character'],
      ['missing primary', { secondary_character: 'Bob' }, 'primary_character'],
      ['empty name', { primary_character: '', secondary_character: 'Bob' }, 'primary_character'],
      ['blank name', { primary_character: '   ', secondary_character: 'Bob' }, 'primary_character'],
      [
        'over-long name',
        { primary_character: 'Alice', secondary_character: 'x'.repeat(101) },
        'secondary_character',
      ],
      [
        'same names',
        { primary_character: 'Alice', secondary_character: 'ALICE' },
        'secondary_character',
      ],
      ['wrong type', { primary_character: 7, secondary_character: 'Bob' }, 'primary_character'],
      [
        'disallowed characters',
        { primary_character: '<script>', secondary_character: 'Bob' },
        'primary_character',
      ],
      [
        'camelCase body',
        { primaryCharacter: 'Alice', secondaryCharacter: 'Bob' },
        'primary_character',
      ],
      ['array body', [{ primary_character: 'Alice', secondary_character: 'Bob' }], 'body'],
    ])('%s → 422 naming the field, nothing started', async (_n, payload, field) => {
      for (const slug of ['semantic-kernel', 'langchain', 'langgraph']) {
        const res = await http(p.baseUrl, 'POST', `/api/${slug}`, payload);
        expect(res.status).toBe(422);
        expect(res.body.error.type).toBe('ValidationError');
        expect(res.body.error.details.map((d: { field: string }) => d.field).join(' ')).toContain(
          field,
        );
      }
      expect(p.sim.stats().requests).toBe(0);
      expect(await p.prisma.story.count()).toBe(0);
    });

    it('malformed JSON → 400', async () => {
      const res = await http(p.baseUrl, 'POST', '/api/langgraph', '{"primary_character":', {
        'content-type': 'application/json',
      });
      expect(res.status).toBe(400);
    });

    it.each([
      ['401', 502, 'ProviderAuthenticationError'],
      ['400', 502, 'ProviderBadRequest'],
      ['insufficient_quota', 503, 'ProviderQuotaExceeded'],
      ['500', 502, 'ProviderServerError'],
    ] as const)('provider fault %s → %d %s, no story stored', async (fault, status, type) => {
      p.sim.setFaults({ rules: [{ fault, retryAfterSeconds: 0.05 }] });
      const res = await http(p.baseUrl, 'POST', '/api/langchain', {
        primary_character: 'Alice',
        secondary_character: 'Bob',
      });
      expect(res.status).toBe(status);
      expect(res.body.error.type).toBe(type);
      expect(res.body.error.message).toMatch(/^Generation failed: /);
      expect(await p.prisma.story.count()).toBe(0);
    });

    it('rate limited past PROVIDER_MAX_WAIT_SECONDS on every attempt → 503 ProviderRateLimited', async () => {
      p.sim.setFaults({ rules: [{ fault: '429', retryAfterSeconds: 0.05 }] });
      const res = await http(p.baseUrl, 'POST', '/api/semantic-kernel', {
        primary_character: 'Alice',
        secondary_character: 'Bob',
      });
      expect(res.status).toBe(503);
      expect(res.body.error.type).toBe('ProviderRateLimited');
      // Each attempt tried again after every retry-after until its wait ran out, then failed.
      expect(p.sim.stats().requests).toBeGreaterThan(p.config.retry.maximumAttempts);
    });
  });

  describe('GET /api/stories', () => {
    it('lists newest first with a 200-character preview, 10 by default', async () => {
      const long = 'y'.repeat(250);
      for (let i = 0; i < 12; i++)
        await insertStory(p, `Hero ${i}`, `Friend ${i}`, { content: i === 11 ? long : undefined });
      const res = await http(p.baseUrl, 'GET', '/api/stories');
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(10);
      expect(res.body[0].primary_character).toBe('Hero 11');
      expect(res.body[9].primary_character).toBe('Hero 2');
      for (const f of STORY_LIST_FIELDS) expect(res.body[0]).toHaveProperty(f);
      expect(res.body[0].story_preview).toBe(`${'y'.repeat(200)}...`);
      expect(res.body[0].combined_characters).toBe('Hero 11 and Friend 11');
      expect(res.body[1].story_preview).toBe('A story about Hero 10 and Friend 10.');
      expect(res.body[0]).not.toHaveProperty('story_content');

      const page = await http(p.baseUrl, 'GET', '/api/stories?skip=10&limit=5');
      expect(page.body.map((s: { primary_character: string }) => s.primary_character)).toEqual([
        'Hero 1',
        'Hero 0',
      ]);
      expect((await http(p.baseUrl, 'GET', '/api/stories?limit=1000')).body).toHaveLength(12);
    });

    it.each([
      ['limit=1001', 'limit'],
      ['limit=0', 'limit'],
      ['skip=-1', 'skip'],
      ['limit=abc', 'limit'],
      ['skip=1.5', 'skip'],
    ])('%s → 422', async (qs, field) => {
      const res = await http(p.baseUrl, 'GET', `/api/stories?${qs}`);
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe(`query -> ${field}`);
    });
  });

  describe('GET /api/stories/search/characters', () => {
    beforeEach(async () => {
      await insertStory(p, 'JOSÉ', 'Bob');
      await insertStory(p, 'Alice', 'Santa Claus');
      await insertStory(p, '100% Elf', 'Comet');
      await insertStory(p, 'Elf_1', 'Dasher');
      await insertStory(p, 'ElfX1', 'Dancer');
      await insertStory(p, 'Mrs. Claus', 'Ébène');
    });
    const names = (body: { primary_character: string }[]) => body.map((s) => s.primary_character);
    const search = (qs: string) => http(p.baseUrl, 'GET', `/api/stories/search/characters?${qs}`);

    it('matches either character, case-insensitively, newest first (not captured by /:id)', async () => {
      const res = await search('character=claus');
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['Mrs. Claus', 'Alice']);
      for (const f of STORY_LIST_FIELDS) expect(res.body[0]).toHaveProperty(f);
      expect(names((await search('character=ALICE')).body)).toEqual(['Alice']);
    });

    it('folds case of accented letters too', async () => {
      expect(names((await search(`character=${encodeURIComponent('josé')}`)).body)).toEqual([
        'JOSÉ',
      ]);
      expect(names((await search(`character=${encodeURIComponent('ÉBÈNE')}`)).body)).toEqual([
        'Mrs. Claus',
      ]);
      expect(names((await search(`character=${encodeURIComponent('  jOsÉ ')}`)).body)).toEqual([
        'JOSÉ',
      ]);
      expect((await search('character=jose')).body).toEqual([]);
    });

    it('treats % and _ literally', async () => {
      expect(names((await search(`character=${encodeURIComponent('%')}`)).body)).toEqual([
        '100% Elf',
      ]);
      expect(names((await search('character=elf_1')).body)).toEqual(['Elf_1']);
      expect((await search('character=_')).body.length).toBe(1);
    });

    it('pages with skip and limit', async () => {
      expect(names((await search('character=elf')).body)).toEqual(['ElfX1', 'Elf_1', '100% Elf']);
      expect(names((await search('character=elf&skip=1&limit=1')).body)).toEqual(['Elf_1']);
      expect((await search('character=elf&skip=3')).body).toEqual([]);
    });

    it.each([
      ['', 'character'],
      ['character=', 'character'],
      ['character=%20%20', 'character'],
      [`character=${'a'.repeat(101)}`, 'character'],
      ['character=a&limit=1001', 'limit'],
      ['character=a&skip=-1', 'skip'],
    ])('"%s" → 422', async (qs, field) => {
      const res = await search(qs);
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe(`query -> ${field}`);
    });

    it('100 characters is accepted', async () => {
      expect((await search(`character=${'a'.repeat(100)}`)).status).toBe(200);
    });
  });

  describe('DELETE /api/stories', () => {
    it('deletes every story and says how many', async () => {
      for (let i = 0; i < 3; i++) await insertStory(p, `A${i}`, `B${i}`);
      const res = await http(p.baseUrl, 'DELETE', '/api/stories');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ message: 'Successfully deleted 3 stories', deleted_count: 3 });
      expect(await p.prisma.story.count()).toBe(0);
      expect((await http(p.baseUrl, 'GET', '/api/stories')).body).toEqual([]);
      const again = await http(p.baseUrl, 'DELETE', '/api/stories');
      expect(again.body).toEqual({ message: 'Successfully deleted 0 stories', deleted_count: 0 });
    });
  });
});
