import { describe, expect, it } from 'vitest';
import { ImageInputError, ResNetEdgeError, deserializeError, serializeError } from './errors.js';

describe('errors', () => {
  it('round-trip keeps class, code, message and details', () => {
    const e = new ImageInputError('IMAGE_TOO_LARGE', 'too big', { details: { width: 30000 } });
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(e))));
    expect(back).toBeInstanceOf(ImageInputError);
    expect(back).toBeInstanceOf(ResNetEdgeError);
    expect(back.code).toBe('IMAGE_TOO_LARGE');
    expect(back.details).toEqual({ width: 30000 });
  });
  it('unknown throwables become INTERNAL, aborts ABORTED', () => {
    expect(serializeError(new TypeError('x')).code).toBe('INTERNAL');
    expect(serializeError(new DOMException('stop', 'AbortError')).code).toBe('ABORTED');
  });
  it('serializing never throws, even for throwables whose toString or name getter throws', () => {
    const hostile = { toString: () => { throw new Error('boom'); } };
    const getter = Object.defineProperty({}, 'name', { get: () => { throw new Error('boom'); } });
    for (const v of [hostile, getter, null, undefined, Symbol('s'), Object.create(null)]) {
      expect(serializeError(v)).toMatchObject({ name: 'ResNetEdgeError', code: 'INTERNAL', message: expect.any(String) });
    }
  });
  it('deserializing a malformed message gives an INTERNAL error, not a TypeError; odd names fall back to the base class', () => {
    for (const v of [null, undefined, 42, 'x', {}, { code: 1, message: 'm' }]) {
      const e = deserializeError(v as never);
      expect(e).toBeInstanceOf(ResNetEdgeError);
      expect(e.code).toBe('INTERNAL');
    }
    const e = deserializeError({ name: '__proto__', code: 'ABORTED', message: 'm' });
    expect([e.constructor, e.code]).toEqual([ResNetEdgeError, 'ABORTED']);
  });
});
