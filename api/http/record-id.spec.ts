import { ApiError } from './api-error';
import { RecordIdPipe } from './record-id';

describe('RecordIdPipe', () => {
  const pipe = new RecordIdPipe();
  it('reads decimal ids, and passes ids past the largest on (they name nothing: 404)', () => {
    expect(pipe.transform('7')).toBe(7);
    expect(pipe.transform('2147483647')).toBe(2147483647);
    expect(pipe.transform('99999999999')).toBe(99999999999);
  });
  it.each(['0', '-1', '1.0', '0x1F', '1e3', ' 1', 'abc', ''])(
    'refuses %j with 422 naming the id',
    (v) => {
      expect(() => pipe.transform(v)).toThrow(ApiError);
      try {
        pipe.transform(v);
      } catch (e) {
        expect((e as ApiError).getStatus()).toBe(422);
        expect((e as ApiError).details?.[0].field).toBe('path -> id');
      }
    },
  );
});
