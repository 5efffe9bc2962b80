/**
 * `load({ model: string })` -> URL. In a browser a string that is not a URL is relative to the page (`location`); in
 * Node (no `location`) it is a filesystem path relative to the working directory, so `load({ model: './x/model.json' })`
 * and `load({ model: '/abs/resnet-50/' })` read local files. Hugging Face repository pages become their file URLs.
 */
import { ModelLoadError } from '../errors.js';
import { nodeBuiltin } from '../platform/node-builtin.js';

/** A URL scheme of two or more letters (`C:\...` is a Windows drive, not a scheme). */
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/** What kind of thing a model URL points at, from its path. */
export type SourceKind = 'manifest' | 'onnx' | 'folder';

/**
 * Turns a `model` string into a URL: absolute URLs as they are, anything else relative to the page in a browser or to
 * the working directory in Node. Throws `INVALID_ARGUMENT` for a string that is neither.
 *
 * @example
 * ```ts
 * toSourceUrl('./models/resnet-50/');                  // Node: file:///home/me/app/models/resnet-50/
 * toSourceUrl('https://huggingface.co/Xenova/resnet-50'); // https://huggingface.co/Xenova/resnet-50/resolve/main/
 * ```
 */
export function toSourceUrl(model: string | URL): URL {
  if (model instanceof URL) return huggingFaceFileUrl(model);
  if (typeof model !== 'string' || model.length === 0) throw new ModelLoadError('INVALID_ARGUMENT', 'model must be a non-empty string.');
  const page = typeof location !== 'undefined' ? (location as { href?: string }).href : undefined;
  if (!URL_SCHEME.test(model) && page === undefined) {
    const local = nodePathUrl(model);
    if (local) return local;
  }
  try {
    return huggingFaceFileUrl(new URL(model, page));
  } catch {
    throw new ModelLoadError('INVALID_ARGUMENT', `"${model}" is not a valid URL${page === undefined ? ' or file path' : ''}.`, { details: { model } });
  }
}

/** A filesystem path as a file: URL (absolute against the working directory), or undefined outside Node. */
function nodePathUrl(path: string): URL | undefined {
  const nodePath = nodeBuiltin<typeof import('node:path')>('node:path');
  const nodeUrl = nodeBuiltin<typeof import('node:url')>('node:url');
  if (!nodePath || !nodeUrl) return undefined;
  const url = nodeUrl.pathToFileURL(nodePath.resolve(path));
  // pathToFileURL drops a trailing separator; it says "folder", which the resolver needs to know.
  if (/[\\/]$/.test(path) && !url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * Hugging Face repository pages (`https://huggingface.co/<owner>/<name>`, `.../tree/<rev>`, `.../blob/<rev>/<file>`)
 * as the URLs their files are served from (`.../resolve/<rev>/`); other URLs unchanged.
 *
 * @example
 * ```ts
 * huggingFaceFileUrl(new URL('https://huggingface.co/Xenova/resnet-50')).href;
 * // 'https://huggingface.co/Xenova/resnet-50/resolve/main/'
 * ```
 */
export function huggingFaceFileUrl(url: URL): URL {
  if (url.hostname !== 'huggingface.co' && url.hostname !== 'www.huggingface.co') return url;
  const parts = url.pathname.split('/').filter(Boolean);
  // Datasets, spaces and API routes are not model repositories.
  if (parts.length < 2 || ['datasets', 'spaces', 'api', 'docs'].includes(parts[0])) return url;
  const [owner, name, verb, rev, ...rest] = parts;
  let path: string | undefined;
  if (parts.length === 2) path = `${owner}/${name}/resolve/main/`;
  else if (verb === 'tree' && rev) path = `${owner}/${name}/resolve/${rev}/${rest.length ? `${rest.join('/')}/` : ''}`;
  else if (verb === 'blob' && rev) path = `${owner}/${name}/resolve/${rev}/${rest.join('/')}`;
  if (path === undefined) return url;
  const out = new URL(url.href);
  out.pathname = `/${path}`;
  return out;
}

/**
 * Whether `url` names a manifest (`.json`), an ONNX file (`.onnx`) or a folder (anything else: a trailing `/`, or a
 * last segment without one of those extensions).
 *
 * @example
 * ```ts
 * sourceKind(new URL('https://example.com/m/model.onnx')); // 'onnx'
 * ```
 */
export function sourceKind(url: URL): SourceKind {
  const path = url.pathname.toLowerCase();
  if (path.endsWith('.json')) return 'manifest';
  if (path.endsWith('.onnx')) return 'onnx';
  return 'folder';
}

/**
 * `url` as a folder URL (ending in `/`), so relative file names resolve inside it.
 *
 * @example
 * ```ts
 * asFolder(new URL('file:///models/resnet-50')).href; // 'file:///models/resnet-50/'
 * ```
 */
export function asFolder(url: URL): URL {
  const out = new URL(url.href);
  out.search = '';
  out.hash = '';
  if (!out.pathname.endsWith('/')) out.pathname += '/';
  return out;
}
