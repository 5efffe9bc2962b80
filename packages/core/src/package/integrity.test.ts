import { describe, expect, it } from 'vitest';
import { sha256Hex, verifyFile } from './integrity.js';

const abc = new TextEncoder().encode('abc');
const ABC_SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('integrity', () => {
  it('sha256Hex: the FIPS 180-2 "abc" vector; anything but bytes is INVALID_ARGUMENT', async () => {
    expect(await sha256Hex(abc)).toBe(ABC_SHA);
    for (const v of [null, undefined, 'abc', [1, 2]]) await expect(sha256Hex(v as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
  it('verifyFile: size then hash mismatches are INTEGRITY_MISMATCH; malformed arguments INVALID_ARGUMENT', async () => {
    const file = { path: 'a.onnx', role: 'model' as const, bytes: 3, sha256: ABC_SHA };
    await expect(verifyFile({ file, bytes: abc })).resolves.toBeUndefined();
    await expect(verifyFile({ file: { ...file, bytes: 4 }, bytes: abc })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    await expect(verifyFile({ file: { ...file, sha256: '0'.repeat(64) }, bytes: abc })).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    for (const o of [null, {}, { file, bytes: null }, { file: null, bytes: abc }]) {
      await expect(verifyFile(o as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });
});
