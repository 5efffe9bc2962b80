import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCode } from '../testing/error-code.js';
import { readLocalFile, statPath } from './local-file.js';

const dir = mkdtempSync(join(tmpdir(), 're-localfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'x.bin');
writeFileSync(file, new Uint8Array([1, 2, 3, 4, 5]));
mkdirSync(join(dir, 'folder'));
symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));

describe('readLocalFile', () => {
  it('reads a regular file', async () => {
    expect([...(await readLocalFile({ path: file, role: 'image' }))]).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives missing paths, folders and unreadable paths their own codes, with the path in the details', async () => {
    expect(await errorCode(readLocalFile({ path: join(dir, 'missing.png'), role: 'image' }))).toBe('FILE_NOT_FOUND');
    expect(await errorCode(readLocalFile({ path: join(dir, 'dangling'), role: 'image' }))).toBe('FILE_NOT_FOUND');
    expect(await errorCode(readLocalFile({ path: join(file, 'below-a-file.png'), role: 'image' }))).toBe('FILE_NOT_FOUND'); // ENOTDIR
    expect(await errorCode(readLocalFile({ path: join(dir, 'folder'), role: 'image' }))).toBe('NOT_A_FILE');
    expect(await errorCode(readLocalFile({ path: join(dir, 'loop-a'), role: 'image' }))).toBe('FILE_UNREADABLE'); // ELOOP
    const err = await readLocalFile({ path: join(dir, 'missing.png'), role: 'image' }).catch((e) => e);
    expect(err.message).toBe(`No such image: ${join(dir, 'missing.png')}`);
    expect(err.details).toEqual({ path: join(dir, 'missing.png'), errno: 'ENOENT' });
  });

  it('reports a read that fails after a successful stat as FILE_UNREADABLE', async () => {
    // /proc/self/mem stats as a regular file but reading offset 0 fails with EIO: a real unreadable file, even for root.
    if (existsSync('/proc/self/mem')) expect(await errorCode(readLocalFile({ path: '/proc/self/mem', role: 'image' }))).toBe('FILE_UNREADABLE');
    // Without read permission (root ignores file modes, so this part only runs for other users).
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.png');
      writeFileSync(locked, 'x');
      chmodSync(locked, 0o000);
      expect(await errorCode(readLocalFile({ path: locked, role: 'image' }))).toBe('FILE_UNREADABLE');
    }
  });

  it('refuses a file over maxBytes before reading it', async () => {
    expect(await errorCode(readLocalFile({ path: file, role: 'image', maxBytes: 4 }))).toBe('IMAGE_TOO_LARGE');
    expect((await readLocalFile({ path: file, role: 'image', maxBytes: 5 })).byteLength).toBe(5);
  });

  it('statPath maps errors the same way', async () => {
    expect((await statPath({ path: join(dir, 'folder'), role: 'model' })).isDirectory()).toBe(true);
    expect(await errorCode(statPath({ path: join(dir, 'nope'), role: 'model' }))).toBe('FILE_NOT_FOUND');
    expect(await errorCode(statPath({ path: join(dir, 'loop-b'), role: 'model' }))).toBe('FILE_UNREADABLE');
  });
});
