import { NamespaceNotFoundError, SearchAttributeType } from '@temporalio/common';
import { ServiceError } from '@temporalio/client';
import {
  cloudFixLine,
  durationSeconds,
  fixCommands,
  isLoopbackAddress,
  isTemporalCloud,
  setupAllowed,
  temporalSetupProblemOf,
} from './namespace-contract';
import { SEARCH_ATTRIBUTES } from './search-attributes';

/** A gRPC error as @grpc/grpc-js raises it (code + details), wrapped as the SDK's client does. */
const grpc = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details });

describe('namespace contract: who may set up what', () => {
  it.each([
    ['127.0.0.1:7233', true],
    ['localhost:7233', true],
    ['[::1]:7233', true],
    ['127.0.0.2:17233', true],
    ['temporal:7233', false],
    ['10.0.0.5:7233', false],
    ['ns.acct.tmprl.cloud:7233', false],
  ])('%s is loopback: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it('auto = a loopback address without an API key; true/false as said', () => {
    expect(setupAllowed('auto', { address: '127.0.0.1:7233' })).toBe(true);
    expect(setupAllowed('auto', { address: '127.0.0.1:7233', apiKey: 'k' })).toBe(false);
    expect(setupAllowed('auto', { address: 'temporal:7233' })).toBe(false);
    expect(setupAllowed('true', { address: 'ns.acct.tmprl.cloud:7233', apiKey: 'k' })).toBe(true);
    expect(setupAllowed('false', { address: '127.0.0.1:7233' })).toBe(false);
    expect(isTemporalCloud({ address: 'ns.acct.tmprl.cloud:7233' })).toBe(true);
    expect(isTemporalCloud({ address: 'proxy:7233', apiKey: 'k' })).toBe(true);
    expect(isTemporalCloud({ address: '127.0.0.1:7233' })).toBe(false);
  });

  it('retention durations as docker-compose.yml writes them', () => {
    expect(durationSeconds('720h')).toBe(30 * 86400);
    expect(durationSeconds('30d')).toBe(30 * 86400);
    expect(() => durationSeconds('a month')).toThrow(/not a duration/);
  });
});

describe('namespace contract: the commands that fix it', () => {
  const target = { namespace: 'prod', retention: '720h' };

  it('one `search-attribute create` per attribute (CLI 1.5.1 registers only the first of several --name)', () => {
    expect(
      fixCommands(
        [
          { kind: 'attribute_missing', name: 'CorrelationId', type: SearchAttributeType.KEYWORD },
          { kind: 'attribute_missing', name: 'CostUsd', type: SearchAttributeType.DOUBLE },
        ],
        target,
      ),
    ).toEqual([
      'temporal operator search-attribute create --namespace prod --name CorrelationId --type Keyword',
      'temporal operator search-attribute create --namespace prod --name CostUsd --type Double',
    ]);
  });

  it('a missing namespace: create it with the retention, then every attribute', () => {
    const cmds = fixCommands([{ kind: 'namespace_missing' }], target, 'temporal.internal:7233');
    expect(cmds[0]).toBe(
      'temporal operator namespace create --address temporal.internal:7233 --namespace prod --retention 720h',
    );
    expect(cmds).toHaveLength(1 + SEARCH_ATTRIBUTES.length);
    expect(cmds).toContain(
      'temporal operator search-attribute create --address temporal.internal:7233 --namespace prod --name TotalTokens --type Int',
    );
  });

  it('a wrong type: remove, then create with the right one', () => {
    expect(
      fixCommands(
        [
          {
            kind: 'attribute_wrong_type',
            name: 'CostUsd',
            type: SearchAttributeType.DOUBLE,
            actual: 'KEYWORD',
          },
        ],
        target,
      ),
    ).toEqual([
      'temporal operator search-attribute remove --namespace prod --name CostUsd --yes',
      'temporal operator search-attribute create --namespace prod --name CostUsd --type Double',
    ]);
  });

  it('Temporal Cloud: the UI and tcld', () => {
    expect(
      cloudFixLine(
        [{ kind: 'attribute_missing', name: 'CorrelationId', type: SearchAttributeType.KEYWORD }],
        'prod.a1b2c',
      ),
    ).toBe(
      'Temporal Cloud: add them in the Cloud UI (Namespaces → prod.a1b2c → Search attributes) or with ' +
        'tcld namespace search-attributes add --namespace prod.a1b2c --search-attribute "CorrelationId=Keyword"',
    );
  });
});

describe('temporalSetupProblemOf: a refused call that means "not set up"', () => {
  it('a start the server refuses for an unregistered Quillflow attribute', () => {
    const err = new ServiceError('Failed to start Workflow', {
      cause: grpc(3, 'Namespace prod has no mapping defined for search attribute CorrelationId'),
    });
    expect(temporalSetupProblemOf(err)).toEqual({
      kind: 'attribute_missing',
      name: 'CorrelationId',
      type: 'KEYWORD',
    });
  });

  it('a visibility query naming one of ours; not a name of the caller', () => {
    const ours = new ServiceError('Failed to list workflows', {
      cause: grpc(
        3,
        "invalid query: invalid expression: column name 'CostUsd' is not a valid search attribute",
      ),
    });
    expect(temporalSetupProblemOf(ours)).toEqual({
      kind: 'attribute_missing',
      name: 'CostUsd',
      type: 'DOUBLE',
    });
    const theirs = grpc(
      3,
      "invalid query: invalid expression: column name 'Whatever' is not a valid search attribute",
    );
    expect(temporalSetupProblemOf(theirs)).toBeUndefined();
  });

  it('a namespace that does not exist', () => {
    expect(temporalSetupProblemOf(new NamespaceNotFoundError('prod'))).toEqual({
      kind: 'namespace_missing',
    });
    expect(temporalSetupProblemOf(grpc(5, 'Namespace prod is not found.'))).toEqual({
      kind: 'namespace_missing',
    });
  });

  it('anything else is not a set-up problem', () => {
    expect(temporalSetupProblemOf(grpc(5, 'workflow not found for ID: story-1'))).toBeUndefined();
    expect(temporalSetupProblemOf(grpc(14, 'connection refused'))).toBeUndefined();
    expect(temporalSetupProblemOf(new Error('boom'))).toBeUndefined();
  });
});
