/** Resolves `load()`'s `model` argument (built-in id, manifest URL, or bytes + manifest) to verified bytes. */
import { ModelLoadError, throwIfAborted } from '../errors.js';
import { concat, fetchBytes } from './fetch-bytes.js';
import { verifyFile } from './integrity.js';
import { validateManifest } from './manifest.js';
import type { ModelManifest } from './manifest-types.js';

/** Model packages shipped in this repository's `models/` folder. */
export const BUILTIN_MODELS = ['fmnist-resnet20', 'fmnist-scenes-centernet'] as const;

/** What `load({ model })` accepts. */
export type ModelSource = string | URL | { manifest: ModelManifest | unknown; bytes: Uint8Array | ArrayBuffer };

export interface ResolveOptions {
  model: ModelSource;
  /** Folder holding built-in model packages (`<base>/<id>/model.json`). */
  modelBaseUrl?: string | URL;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (p: { loaded: number; total: number }) => void;
}

export interface ResolvedModel {
  manifest: ModelManifest;
  bytes: Uint8Array;
}

/** Default location of built-in packages: the repo's models/ folder next to this source tree. */
export function defaultModelBaseUrl(): URL {
  // Sources live at packages/core/src/model/, bundles at packages/core/dist/: both sit under the repo holding models/.
  const fromDist = /\/dist\/[^/]*$/.test(import.meta.url);
  return new URL(fromDist ? '../../../models/' : '../../../../models/', import.meta.url);
}

/**
 * Resolves and integrity-checks a model package.
 *
 * @example
 * ```ts
 * const { manifest, bytes } = await resolveModel({ model: 'fmnist-resnet20' });
 * ```
 */
export async function resolveModel(options: ResolveOptions): Promise<ResolvedModel> {
  const { model, signal } = options;
  throwIfAborted(signal);
  if (typeof model === 'object' && !(model instanceof URL)) {
    if (!model || !('manifest' in model) || !('bytes' in model)) {
      throw new ModelLoadError('INVALID_ARGUMENT', 'model must be a built-in id, a URL, or { manifest, bytes }.');
    }
    const manifest = validateManifest(model.manifest);
    const bytes = model.bytes instanceof Uint8Array ? model.bytes : new Uint8Array(model.bytes);
    const entry = manifest.files.find((f) => f.role === 'model');
    if (entry) await verifyFile({ file: entry, bytes });
    return { manifest, bytes };
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
  if (!(BUILTIN_MODELS as readonly string[]).includes(model)) {
    throw new ModelLoadError('UNKNOWN_MODEL', `Unknown model id "${model}". Built-in models: ${BUILTIN_MODELS.join(', ')}; or pass a URL to a model.json.`, {
      details: { model, known: [...BUILTIN_MODELS] },
    });
  }
  const baseUrl = base === undefined ? defaultModelBaseUrl() : new URL(String(base).replace(/\/?$/, '/'), typeof location !== 'undefined' ? location.href : undefined);
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
