import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from './default-models.js';
import { BUILTIN_MODELS } from './resolve.js';

describe('DEFAULT_MODELS', () => {
  it('names a built-in model for every task', () => {
    for (const id of Object.values(DEFAULT_MODELS)) expect(BUILTIN_MODELS).toContain(id);
    expect(Object.keys(DEFAULT_MODELS).sort()).toEqual(['classification', 'detection']);
  });
});
