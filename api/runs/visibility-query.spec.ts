import { buildVisibilityQuery, quote, runFiltersSchema } from './visibility-query';

describe('runs visibility query', () => {
  const build = (q: Record<string, string>) => buildVisibilityQuery(runFiltersSchema.parse(q));

  it('maps filters to search attributes with quoted values', () => {
    expect(build({ framework: 'semantic-kernel', status: 'running', type: 'story' })).toBe(
      "WorkflowKind = 'story' AND ExecutionStatus = 'Running' AND Framework = 'semantic_kernel'",
    );
    expect(
      build({
        origin: 'batch',
        batchId: 'batch-1b2c/item-3',
        model: 'anthropic/claude-3.5-sonnet',
      }),
    ).toBe(
      "LlmModel = 'anthropic/claude-3.5-sonnet' AND Origin = 'batch' AND BatchId = 'batch-1b2c/item-3'",
    );
    expect(build({ status: 'ContinuedAsNew' })).toBe("ExecutionStatus = 'ContinuedAsNew'");
    expect(build({ status: 'cancelled' })).toBe("ExecutionStatus = 'Canceled'");
    expect(build({})).toBe('');
  });

  it('turns a time range into StartTime bounds in UTC', () => {
    expect(build({ from: '2026-01-01T10:00:00+02:00', to: '2026-01-02T00:00:00Z' })).toBe(
      "StartTime >= '2026-01-01T08:00:00.000Z' AND StartTime <= '2026-01-02T00:00:00.000Z'",
    );
  });

  it.each([
    [{ framework: 'crewai' }, 'framework'],
    [{ status: 'Running OR 1=1' }, 'status'],
    [{ model: "gpt' OR WorkflowType='x" }, 'model'],
    [{ batchId: "x' OR 'a'='a" }, 'batchId'],
    [{ origin: 'web' }, 'origin'],
    [{ type: 'shell' }, 'type'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
    [{ pageSize: '0' }, 'pageSize'],
    [{ nextPageToken: "abc'" }, 'nextPageToken'],
    [{ sql: 'DROP' }, ''],
  ])('rejects %j', (q, field) => {
    const r = runFiltersSchema.safeParse(q);
    expect(r.success).toBe(false);
    if (field) expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('escapes quotes and backslashes as defence in depth', () => {
    expect(quote("a'b\\c")).toBe("'a\\'b\\\\c'");
  });
});
