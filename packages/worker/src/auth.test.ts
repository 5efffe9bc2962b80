import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from './auth.js';

describe('timingSafeEqual', () => {
  it('compares by value, including different lengths', async () => {
    expect(await timingSafeEqual({ a: 'secret', b: 'secret' })).toBe(true);
    expect(await timingSafeEqual({ a: 'secret', b: 'secreT' })).toBe(false);
    expect(await timingSafeEqual({ a: 'secret', b: 'secret-longer' })).toBe(false);
    expect(await timingSafeEqual({ a: '', b: 'x' })).toBe(false);
  });
});
