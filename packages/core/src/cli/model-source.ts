/**
 * `--model` / `--model-base-url` values -> what `load()` takes. Plain paths (relative, absolute, a package folder) become
 * file: URLs here because `load()` reads strings as URLs (relative to the page in a browser), which a shell user does not expect.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResNetEdgeError } from '../errors.js';
import { isBuiltinModel } from '../package/builtin-models.js';
import { statPath } from './local-file.js';

/** A URL scheme of two or more letters (one letter is a Windows drive, `C:\...`). */
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

function looksLikePath(s: string): boolean {
  const lower = s.toLowerCase();
  return isAbsolute(s) || s.startsWith('.') || s.includes('/') || s.includes('\\') || lower.endsWith('.json') || lower.endsWith('.onnx');
}

/**
 * Checks a CLI model argument that names a local path (not a URL, not a built-in id): a missing one is FILE_NOT_FOUND
 * and something neither a file nor a folder NOT_A_FILE, the CLI's file codes, before the resolver (which reports a
 * missing file: URL as UNKNOWN_MODEL, as it does an HTTP 404).
 *
 * @example
 * ```ts
 * await checkLocalModelPath('resnet18.onnx'); // throws FILE_NOT_FOUND when it is not there
 * ```
 */
export async function checkLocalModelPath(arg: string): Promise<void> {
  if (isBuiltinModel(arg) || (URL_SCHEME.test(arg) && !isAbsolute(arg)) || !looksLikePath(arg)) return;
  const st = await statPath({ path: arg, role: 'model' });
  if (!st.isFile() && !st.isDirectory()) throw new ResNetEdgeError('NOT_A_FILE', `The model ${arg} is not a regular file or folder.`, { details: { path: arg } });
}

/**
 * Resolves `--model`: a built-in id stays an id; `http(s):`/`file:` URLs pass through; a path to a `model.json` or to a
 * folder holding one becomes a file: URL, as does a Hugging Face folder (config.json, onnx/model*.onnx). A missing path is FILE_NOT_FOUND; a bare word that is neither an id nor an
 * existing path is left to `load()` (UNKNOWN_MODEL, listing the built-in ids).
 *
 * @example
 * ```ts
 * await modelSource('./my-model/');          // URL file:///.../my-model/model.json
 * await modelSource('fmnist-resnet20');      // 'fmnist-resnet20'
 * ```
 */
export async function modelSource(arg: string): Promise<string | URL> {
  if (isBuiltinModel(arg)) return arg;
  if (URL_SCHEME.test(arg) && !isAbsolute(arg)) {
    try {
      return new URL(arg);
    } catch {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `--model "${arg}" is not a valid URL.`);
    }
  }
  if (!looksLikePath(arg)) {
    // A bare word: a local folder or file of that name wins, else load() reports the unknown id.
    const exists = await statPath({ path: arg, role: 'model' }).then(
      () => true,
      () => false,
    );
    if (!exists) return arg;
  }
  const st = await statPath({ path: arg, role: 'model' });
  if (st.isDirectory()) {
    const manifest = join(arg, 'model.json');
    const inner = await statPath({ path: manifest, role: 'model' }).catch(() => undefined);
    if (!inner?.isFile()) {
      // A Hugging Face model folder (config.json + onnx/): load() infers its manifest.
      const hf = await statPath({ path: join(arg, 'config.json'), role: 'model' }).catch(() => undefined);
      if (hf?.isFile()) return new URL(`${pathToFileURL(resolve(arg)).href}/`);
      throw new ResNetEdgeError('FILE_NOT_FOUND', `The model folder ${arg} has no model.json (nor a Hugging Face config.json).`, { details: { path: manifest } });
    }
    return pathToFileURL(resolve(manifest));
  }
  if (!st.isFile()) throw new ResNetEdgeError('NOT_A_FILE', `The model ${arg} is not a regular file.`, { details: { path: arg } });
  if (arg.toLowerCase().endsWith('.onnx')) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `--model takes a model.json or the folder holding one, not an .onnx file (${arg}); "resnet-edge quantize" writes a model.json next to the int8 ONNX.`);
  }
  return pathToFileURL(resolve(arg));
}

/**
 * Resolves `--model-base-url`: URLs pass through, a folder path becomes a file: URL ending in `/`.
 *
 * @example
 * ```ts
 * modelBaseUrl('./models');   // URL file:///.../models/
 * ```
 */
export function modelBaseUrl(arg: string): string | URL {
  if (URL_SCHEME.test(arg) && !isAbsolute(arg)) return arg;
  const url = pathToFileURL(resolve(arg));
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
