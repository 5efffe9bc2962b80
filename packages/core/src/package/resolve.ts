/**
 * Resolves `load()`'s `model` argument (built-in id, manifest URL, or bytes + manifest) to verified bytes. Folders
 * (Hugging Face layout), `.onnx` URLs and ONNX bytes go to resolve-location.ts, which infers their manifest.
 */
import { ModelLoadError, throwIfAborted } from '../errors.js';
import type { OnnxModel } from '../onnx/index.js';
import { BUILTIN_MODELS, isBuiltinModel, type BuiltinModelLoader } from './builtin-ids.js';
import { concat, fetchBytes } from './fetch-bytes.js';
import { verifyFile } from './integrity.js';
import { validateManifest } from './manifest.js';
import type { ModelManifest } from './manifest-types.js';
import { rejectSourceOptions } from './source-options.js';
import { sourceKind, toSourceUrl } from './source-url.js';
import type { ModelOrigin, SourceOptions } from './source-types.js';

export { BUILTIN_MODELS, type BuiltinModelId } from './builtin-ids.js';

/**
 * What `load({ model })` accepts: a built-in id; a URL or (Node) path of a `model.json`, a folder (a model package or a
 * Hugging Face repository layout) or an `.onnx` file; ONNX bytes; or `{ manifest, bytes }`.
 */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer | { manifest: ModelManifest | unknown; bytes: Uint8Array | ArrayBuffer };

export interface ResolveOptions extends SourceOptions {
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
  /** The second-stage classifier's ONNX bytes (`detection.refine`), verified like the model's. */
  refineBytes?: Uint8Array;
  /** The decoded graph, when resolving had to parse it (inferred manifests). */
  graph?: OnnxModel;
  /** Where the model came from and how it was verified. */
  origin?: ModelOrigin;
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
  // Sources without a manifest load their inference code on demand: built-in ids and model packages never need it.
  if (model instanceof Uint8Array || model instanceof ArrayBuffer) return (await location()).resolveOnnxBytes({ bytes: model, options });
  if (typeof model === 'object' && !(model instanceof URL)) {
    if (!model || !('manifest' in model) || !('bytes' in model)) {
      throw new ModelLoadError('INVALID_ARGUMENT', 'model must be a built-in id, a URL or path, ONNX bytes, or { manifest, bytes }.');
    }
    rejectSourceOptions(options, [], '{ manifest, bytes }');
    return verifyInMemory(model.manifest, model.bytes, 'package');
  }
  if (typeof model === 'string' && options.modelBaseUrl === undefined && isBuiltinModel(model)) {
    rejectSourceOptions(options, [], `the built-in model "${model}"`);
    if (!options.builtins) {
      throw new ModelLoadError('UNKNOWN_MODEL', `The built-in model "${model}" is not available here: pass { manifest, bytes } or a modelBaseUrl.`, {
        details: { model },
      });
    }
    const builtin = await options.builtins(model);
    throwIfAborted(signal);
    const resolved = await verifyInMemory(builtin.manifest, builtin.bytes, 'builtin');
    options.onProgress?.({ loaded: resolved.bytes.byteLength, total: resolved.bytes.byteLength });
    return resolved;
  }
  const url = manifestUrl(model, options.modelBaseUrl);
  // An image where the model goes is a common slip; without this it is looked up as a model folder.
  if (/\.(png|jpe?g|webp|gif|bmp|avif)$/i.test(url.pathname)) {
    throw new ModelLoadError('INVALID_ARGUMENT', `${url.href} looks like an image, not a model: load() takes a model id, a model.json, an .onnx file or a folder; pass images to classify() or detect().`, {
      details: { model: url.href },
    });
  }
  const kind = sourceKind(url);
  const openManifest = (at: URL, manifestBytes: Uint8Array) => openManifestAt(at, manifestBytes, options);
  if (kind !== 'manifest') return (await location()).resolveLocation({ url, kind, options, openManifest });
  return openManifest(url, await fetchBytes({ url, fetch: options.fetch, signal }));
}

/** resolve-location.ts (Hugging Face folders, ONNX files and bytes: manifest inference), imported on first use. */
const location = () => import('./resolve-location.js');

/** Parses a fetched `model.json` and fetches + verifies its files; a Hugging Face `config.json` opens its folder. */
async function openManifestAt(url: URL, manifestBytes: Uint8Array, options: ResolveOptions): Promise<ResolvedModel> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (e) {
    throw new ModelLoadError('INVALID_MANIFEST', `${url.href} is not valid JSON.`, { cause: e });
  }
  const hfConfig = typeof json === 'object' && json !== null && !('schemaVersion' in json) && ('model_type' in json || 'architectures' in json);
  if (hfConfig) return (await location()).resolveLocation({ url: new URL('./', url), kind: 'folder', options, openManifest: (at, b) => openManifestAt(at, b, options) });
  rejectSourceOptions(options, [], `the model package ${url.href}`);
  const manifest = validateManifest(json);
  const { bytes, refineBytes } = await fetchModelFiles(manifest, url, options);
  const entry = manifest.files.find((f) => f.role === 'model');
  return { manifest, bytes, ...(refineBytes ? { refineBytes } : {}), origin: { kind: 'package', url: url.href, ...(entry ? { file: entry.path, sha256: entry.sha256 } : { sha256: '' }), integrity: 'manifest' } };
}

async function verifyInMemory(manifestJson: unknown, raw: Uint8Array | ArrayBuffer, kind: 'builtin' | 'package'): Promise<ResolvedModel> {
  const manifest = validateManifest(manifestJson);
  const all = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
  // A two-stage package's bytes are the model's followed by the refine classifier's (see ManifestFile.role).
  const refine = manifest.files.find((f) => f.role === 'refine');
  if (refine && all.byteLength <= refine.bytes) {
    throw new ModelLoadError('INTEGRITY_MISMATCH', `The bytes of "${manifest.id}" must be the model followed by its refine file (${refine.path}, ${refine.bytes} bytes); got ${all.byteLength} bytes in all.`, {
      details: { file: refine.path, expectedBytes: refine.bytes, actualBytes: all.byteLength },
    });
  }
  const bytes = refine ? all.subarray(0, all.byteLength - refine.bytes) : all;
  const refineBytes = refine ? all.subarray(all.byteLength - refine.bytes) : undefined;
  const entry = manifest.files.find((f) => f.role === 'model');
  if (entry) await verifyFile({ file: entry, bytes });
  if (refine) await verifyFile({ file: refine, bytes: refineBytes! });
  return { manifest, bytes, ...(refineBytes ? { refineBytes } : {}), origin: { kind, sha256: entry?.sha256 ?? '', integrity: entry ? 'manifest' : 'unverified' } };
}

function manifestUrl(model: string | URL, base: string | URL | undefined): URL {
  if (model instanceof URL) return toSourceUrl(model);
  if (typeof model !== 'string' || model.length === 0) throw new ModelLoadError('INVALID_ARGUMENT', 'model must be a non-empty string.');
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:/i.test(model) || /\.(json|onnx)$/i.test(model) || model.includes('/') || model.includes('\\');
  // Node: a path relative to the working directory; browsers: a URL relative to the page.
  if (looksLikeUrl) return toSourceUrl(model);
  if (!isBuiltinModel(model)) {
    throw new ModelLoadError('UNKNOWN_MODEL', `Unknown model id "${model}". Built-in models: ${BUILTIN_MODELS.join(', ')}; or pass a URL to a model.json.`, {
      details: { model, known: [...BUILTIN_MODELS] },
    });
  }
  // Only reached with a base URL: built-in ids without one come from @resnet-edge/models (see resolveModel).
  const baseUrl = toSourceUrl(String(base).replace(/[\\/]?$/, '/'));
  return new URL(`${model}/model.json`, baseUrl);
}

async function fetchModelFiles(manifest: ModelManifest, manifestUrl: URL, options: ResolveOptions): Promise<{ bytes: Uint8Array; refineBytes?: Uint8Array }> {
  const single = manifest.files.find((f) => f.role === 'model');
  // A model too big for one static asset (25 MiB on Workers) ships as ordered `part` files.
  const files = single ? [single] : manifest.files.filter((f) => f.role === 'part');
  const refine = manifest.files.find((f) => f.role === 'refine');
  if (refine) files.push(refine);
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
  const refineBytes = refine ? chunks.pop() : undefined;
  const modelBytes = chunks.length === 1 ? chunks[0] : concat(chunks, total - (refine?.bytes ?? 0));
  return { bytes: modelBytes, ...(refineBytes ? { refineBytes } : {}) };
}
