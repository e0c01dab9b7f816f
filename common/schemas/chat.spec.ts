import {
  chatMessageRequestSchema,
  chatToolInputSchema,
  conversationTitle,
  messagePreview,
} from './chat';

describe('chat schemas', () => {
  const parse = (v: unknown) => chatMessageRequestSchema.safeParse(v);

  it('accepts the original body, with or without conversation_id', () => {
    expect(parse({ message: 'hi' }).data).toEqual({ message: 'hi', conversation_id: null });
    expect(parse({ message: 'hi', conversation_id: null }).data).toEqual({
      message: 'hi',
      conversation_id: null,
    });
    expect(parse({ message: 'hi', conversation_id: 7 }).data).toEqual({
      message: 'hi',
      conversation_id: 7,
    });
    expect(parse({ message: 'hi', conversation_id: '12' }).data).toEqual({
      message: 'hi',
      conversation_id: 12,
    });
    expect(parse({ message: 'hi', extra: true }).success).toBe(true);
  });

  it.each([
    [{ message: '' }, 'message'],
    [{ message: ' \n\t' }, 'message'],
    [{ message: 'x'.repeat(2001) }, 'message'],
    [{}, 'message'],
    [{ message: 3 }, 'message'],
    [{ message: 'hi', conversation_id: 1.5 }, 'conversation_id'],
    [{ message: 'hi', conversation_id: 0 }, 'conversation_id'],
    [{ message: 'hi', conversation_id: 'abc' }, 'conversation_id'],
    [{ message: 'hi', conversation_id: 2 ** 31 }, 'conversation_id'],
  ])('rejects %j naming %s', (body, field) => {
    const r = parse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path[0]).toBe(field);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(parse({ message: '😀'.repeat(2000) }).success).toBe(true);
    expect(parse({ message: '😀'.repeat(2001) }).success).toBe(false);
  });

  it('MCP input takes the framework in any accepted spelling', () => {
    expect(chatToolInputSchema.parse({ framework: 'semantic-kernel', message: 'hi' })).toEqual({
      framework: 'semantic_kernel',
      message: 'hi',
      conversation_id: null,
    });
    expect(chatToolInputSchema.safeParse({ framework: 'crewai', message: 'hi' }).success).toBe(
      false,
    );
  });

  it('titles from the first 50 characters of the stripped message', () => {
    expect(conversationTitle('  Hello there  ')).toBe('Hello there');
    expect(conversationTitle(`  ${'a'.repeat(50)}  `)).toBe('a'.repeat(50));
    expect(conversationTitle('b'.repeat(51))).toBe(`${'b'.repeat(50)}...`);
  });

  it('previews the first 100 characters', () => {
    expect(messagePreview('short')).toBe('short');
    expect(messagePreview('c'.repeat(101))).toBe(`${'c'.repeat(100)}...`);
  });
});
