/** Resolves `load()`'s `model` argument (built-in id, manifest URL, or bytes + manifest) to verified bytes. */
import { ModelLoadError, throwIfAborted } from '../errors.js';
import { BUILTIN_MODELS, isBuiltinModel, type BuiltinModelLoader } from './builtin-ids.js';
import { concat, fetchBytes } from './fetch-bytes.js';
import { verifyFile } from './integrity.js';
import { validateManifest } from './manifest.js';
import type { ModelManifest } from './manifest-types.js';

export { BUILTIN_MODELS, type BuiltinModelId } from './builtin-ids.js';

/** What `load({ model })` accepts. */
export type ModelSource = string | URL | { manifest: ModelManifest | unknown; bytes: Uint8Array | ArrayBuffer };

export interface ResolveOptions {
  model: ModelSource;
  /** Folder serving built-in model packages (`<base>/<id>/model.json`); default: the `@resnet-edge/models` package. */
  modelBaseUrl?: string | URL;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (p: { loaded: number; total: number }) => void;
  /**
   * Where built-in ids get their manifest and bytes when no `modelBaseUrl` is given. The public `resolveModel` and
   * `load` pass the `@resnet-edge/models` importer; the Web Worker's loader passes none (the page resolves built-ins).
   */
  builtins?: BuiltinModelLoader;
}

export interface ResolvedModel {
  manifest: ModelManifest;
  bytes: Uint8Array;
}

/**
 * Resolves and integrity-checks a model package (built-in ids only through `options.builtins`).
 *
 * @example
 * ```ts
 * const { manifest, bytes } = await resolvePackage({ model: 'https://example.com/m/model.json' });
 * ```
 */
export async function resolvePackage(options: ResolveOptions): Promise<ResolvedModel> {
  const { model, signal } = options;
  throwIfAborted(signal);
  if (typeof model === 'object' && !(model instanceof URL)) {
    if (!model || !('manifest' in model) || !('bytes' in model)) {
      throw new ModelLoadError('INVALID_ARGUMENT', 'model must be a built-in id, a URL, or { manifest, bytes }.');
    }
    return verifyInMemory(model.manifest, model.bytes);
  }
  if (typeof model === 'string' && options.modelBaseUrl === undefined && isBuiltinModel(model)) {
    if (!options.builtins) {
      throw new ModelLoadError('UNKNOWN_MODEL', `The built-in model "${model}" is not available here: pass { manifest, bytes } or a modelBaseUrl.`, {
        details: { model },
      });
    }
    const builtin = await options.builtins(model);
    throwIfAborted(signal);
    const resolved = await verifyInMemory(builtin.manifest, builtin.bytes);
    options.onProgress?.({ loaded: resolved.bytes.byteLength, total: resolved.bytes.byteLength });
    return resolved;
  }
  const url = manifestUrl(model, options.modelBaseUrl);
  const manifestBytes = await fetchBytes({ url, fetch: options.fetch, signal });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (e) {
    throw new ModelLoadError('INVALID_MANIFEST', `${url.href} is not valid JSON.`, { cause: e });
  }
  const manifest = validateManifest(json);
  const bytes = await fetchModelFiles(manifest, url, options);
  return { manifest, bytes };
}

async function verifyInMemory(manifestJson: unknown, raw: Uint8Array | ArrayBuffer): Promise<ResolvedModel> {
  const manifest = validateManifest(manifestJson);
  const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
  const entry = manifest.files.find((f) => f.role === 'model');
  if (entry) await verifyFile({ file: entry, bytes });
  return { manifest, bytes };
}

function manifestUrl(model: string | URL, base: string | URL | undefined): URL {
  if (model instanceof URL) return model;
  if (typeof model !== 'string' || model.length === 0) throw new ModelLoadError('INVALID_ARGUMENT', 'model must be a non-empty string.');
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:/i.test(model) || model.endsWith('.json') || model.includes('/');
  if (looksLikeUrl) {
    try {
      return new URL(model, typeof location !== 'undefined' ? location.href : undefined);
    } catch {
      throw new ModelLoadError('INVALID_ARGUMENT', `"${model}" is not a valid URL.`);
    }
  }
  if (!isBuiltinModel(model)) {
    throw new ModelLoadError('UNKNOWN_MODEL', `Unknown model id "${model}". Built-in models: ${BUILTIN_MODELS.join(', ')}; or pass a URL to a model.json.`, {
      details: { model, known: [...BUILTIN_MODELS] },
    });
  }
  // Only reached with a base URL: built-in ids without one come from @resnet-edge/models (see resolveModel).
  const baseUrl = new URL(String(base).replace(/\/?$/, '/'), typeof location !== 'undefined' ? location.href : undefined);
  return new URL(`${model}/model.json`, baseUrl);
}

async function fetchModelFiles(manifest: ModelManifest, manifestUrl: URL, options: ResolveOptions): Promise<Uint8Array> {
  const single = manifest.files.find((f) => f.role === 'model');
  // A model too big for one static asset (25 MiB on Workers) ships as ordered `part` files.
  const files = single ? [single] : manifest.files.filter((f) => f.role === 'part');
  const total = files.reduce((n, f) => n + f.bytes, 0);
  let done = 0;
  const chunks: Uint8Array[] = [];
  for (const file of files) {
    const bytes = await fetchBytes({
      url: new URL(file.path, manifestUrl),
      fetch: options.fetch,
      signal: options.signal,
      expectedBytes: file.bytes,
      onProgress: options.onProgress ? (loaded) => options.onProgress!({ loaded: done + loaded, total }) : undefined,
    });
    await verifyFile({ file, bytes });
    done += bytes.byteLength;
    chunks.push(bytes);
  }
  return chunks.length === 1 ? chunks[0] : concat(chunks, total);
}
