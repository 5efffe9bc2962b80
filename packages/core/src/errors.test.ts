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
});
