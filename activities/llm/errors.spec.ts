import { classifyError } from './errors';

describe('classifyError', () => {
  it('a truncated body is a malformed response, not a connection error', () => {
    // JSON.parse on a cut-off body: "Unterminated string in JSON at position 143".
    let err: unknown;
    try {
      JSON.parse('{"choices":[{"message":{"content":"Once upon');
    } catch (e) {
      err = e;
    }
    expect(classifyError(err)).toMatchObject({
      type: 'ProviderMalformedResponse',
      retryable: true,
    });
  });

  it('a body cut off by the network (undici "terminated") is a connection error', () => {
    expect(classifyError(new TypeError('terminated'))).toMatchObject({
      type: 'ProviderConnectionError',
      retryable: true,
    });
  });
});
