import { parseJson } from './json';

describe('parseJson', () => {
  it('pretty-prints with two spaces under the heading, keeping non-ASCII as is', () => {
    expect(parseJson(Buffer.from('{"name":"José","tags":["a",{"b":1}]}'))).toBe(
      'JSON Data Structure:\n--------------------\n{\n  "name": "José",\n  "tags": [\n    "a",\n    {\n      "b": 1\n    }\n  ]\n}',
    );
  });

  it('accepts any JSON value, and a BOM', () => {
    expect(parseJson(Buffer.from('\ufeff[1, 2]'))).toBe(
      'JSON Data Structure:\n--------------------\n[\n  1,\n  2\n]',
    );
  });

  it('refuses invalid or empty JSON', () => {
    expect(() => parseJson(Buffer.from('{"a": 1,'))).toThrow(/^Invalid JSON format: /);
    expect(() => parseJson(Buffer.from(''))).toThrow('Invalid JSON format: the file is empty');
  });
});
