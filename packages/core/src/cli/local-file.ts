/**
 * Local file access for the CLI with stable error codes instead of Node's errno strings: FILE_NOT_FOUND, NOT_A_FILE,
 * FILE_UNREADABLE (and IMAGE_TOO_LARGE before reading a file over the caller's byte limit).
 */
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ResNetEdgeError, type ErrorCode } from '../errors.js';

/** What a path is used as, for messages ("image", "model", "labels file"...). */
export type FileRole = string;

function errnoOf(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

function fsError(o: { path: string; role: FileRole; e: unknown }): ResNetEdgeError {
  const errno = errnoOf(o.e);
  const details = { path: o.path, ...(errno ? { errno } : {}) };
  let code: ErrorCode = 'FILE_UNREADABLE';
  let message = `Cannot read ${o.role} ${o.path}: ${(o.e as Error)?.message ?? String(o.e)}`;
  if (errno === 'ENOENT' || errno === 'ENOTDIR') {
    code = 'FILE_NOT_FOUND';
    message = `No such ${o.role}: ${o.path}`;
  } else if (errno === 'EISDIR') {
    code = 'NOT_A_FILE';
    message = `The ${o.role} ${o.path} is a directory, not a file.`;
  }
  return new ResNetEdgeError(code, message, { cause: o.e, details });
}

/**
 * `stat` with typed errors: FILE_NOT_FOUND for a missing path, FILE_UNREADABLE for anything else (permissions, loops).
 *
 * @example
 * ```ts
 * const st = await statPath({ path: 'models/x', role: 'model' });
 * if (st.isDirectory()) console.log('a model package folder');
 * ```
 */
export async function statPath(o: { path: string; role: FileRole }): Promise<Stats> {
  try {
    return await stat(o.path);
  } catch (e) {
    throw fsError({ ...o, e });
  }
}

/**
 * Reads a regular file fully; a directory or device is NOT_A_FILE, a file over `maxBytes` is IMAGE_TOO_LARGE (checked
 * before reading), and read failures are FILE_NOT_FOUND / FILE_UNREADABLE.
 *
 * @example
 * ```ts
 * const bytes = await readLocalFile({ path: 'shoe.png', role: 'image', maxBytes: 64 << 20 });
 * ```
 */
export async function readLocalFile(o: { path: string; role: FileRole; maxBytes?: number }): Promise<Uint8Array> {
  const st = await statPath(o);
  if (!st.isFile()) {
    const what = st.isDirectory() ? 'a directory' : 'not a regular file';
    throw new ResNetEdgeError('NOT_A_FILE', `The ${o.role} ${o.path} is ${what}.`, { details: { path: o.path } });
  }
  if (o.maxBytes !== undefined && st.size > o.maxBytes) {
    throw new ResNetEdgeError('IMAGE_TOO_LARGE', `The ${o.role} ${o.path} is ${st.size} bytes, more than ${o.maxBytes}.`, {
      details: { path: o.path, bytes: st.size, maxBytes: o.maxBytes },
    });
  }
  try {
    const buf = await readFile(o.path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw fsError({ ...o, e });
  }
}
