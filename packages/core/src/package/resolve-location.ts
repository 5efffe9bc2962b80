/**
 * Models without a hand-written manifest: a folder (its `model.json` if it has one, else the Hugging Face layout:
 * `config.json`, `preprocessor_config.json`, `onnx/model*.onnx`), an `.onnx` URL, or ONNX bytes. The manifest is
 * inferred (infer-manifest.ts); files are checked by a declared sha256 or pinned on first download and kept in Cache
 * Storage (verified-fetch.ts).
 */
import { ModelLoadError, throwIfAborted } from '../errors.js';
import { decodeModel } from '../onnx/decode.js';
import { DEFAULT_MODEL_CACHE } from './cache-storage.js';
import { fetchBytes } from './fetch-bytes.js';
import { hfInputSpec, hfModelConfig, type HfModelConfig } from './hf-config.js';
import { graphValues, inferManifest, type InputOverrides } from './infer-manifest.js';
import { sha256Hex } from './integrity.js';
import { defaultPinStore } from './pin-store.js';
import { asFolder, type SourceKind } from './source-url.js';
import { MODEL_DTYPES, type LocatedModel, type ModelDtype, type ModelOrigin, type SourceOptions } from './source-types.js';
import { fetchVerified, type VerifiedFile } from './verified-fetch.js';
import { rejectSourceOptions } from './source-options.js';

/** What a folder or file load needs besides the source options. */
export interface LocationOptions extends SourceOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (p: { loaded: number; total: number }) => void;
}

/** Opens a `model.json` whose bytes were fetched from `url` (resolve.ts's manifest path). */
export type ManifestOpener = (url: URL, manifestBytes: Uint8Array) => Promise<{ manifest: LocatedModel['manifest']; bytes: Uint8Array; origin?: ModelOrigin }>;

/** The file names each dtype is looked up under, as Transformers.js names them. */
const DTYPE_FILE: Record<ModelDtype, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
};

/**
 * The ONNX files a folder load tries, in order: `onnx/<file>` for each dtype, then `<file>` at the top.
 *
 * @example
 * ```ts
 * onnxCandidates('q8'); // [{ path: 'onnx/model_quantized.onnx', dtype: 'q8' }, { path: 'model_quantized.onnx', dtype: 'q8' }]
 * ```
 */
export function onnxCandidates(dtype?: ModelDtype): Array<{ path: string; dtype: ModelDtype }> {
  if (dtype !== undefined && !MODEL_DTYPES.includes(dtype)) {
    throw new ModelLoadError('INVALID_ARGUMENT', `Unknown dtype "${String(dtype)}". Use one of ${MODEL_DTYPES.join(', ')}.`);
  }
  const order = dtype ? [dtype] : MODEL_DTYPES;
  return [...order.map((d) => ({ path: `onnx/${DTYPE_FILE[d]}`, dtype: d })), ...order.map((d) => ({ path: DTYPE_FILE[d], dtype: d }))];
}

/** A manifest id from a URL: the repository or folder name (`.../Xenova/resnet-50/resolve/main/` -> `resnet-50`). */
function idFromUrl(url: URL): string {
  const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const r = parts.indexOf('resolve');
  let name = r >= 1 ? parts[r - 1] : parts[parts.length - 1];
  if (name && /\.(onnx|json)$/i.test(name)) name = name.replace(/\.(onnx|json)$/i, '');
  const id = (name ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return id || 'model';
}

function cacheOf(options: LocationOptions): Promise<Cache | undefined> {
  if (options.cache === false) return Promise.resolve(undefined);
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (!storage || typeof storage.open !== 'function') return Promise.resolve(undefined);
  return storage.open(options.cache ?? DEFAULT_MODEL_CACHE).catch(() => undefined);
}

function common(options: LocationOptions, cache: Cache | undefined) {
  return { fetch: options.fetch, signal: options.signal, cache, pins: options.pins === false ? undefined : (options.pins ?? defaultPinStore()) };
}

function parseJson(file: VerifiedFile): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes));
  } catch (e) {
    throw new ModelLoadError('INVALID_MODEL', `${file.url} is not valid JSON.`, { cause: e });
  }
}

/** Merges caller input fields over the folder's (resize merged field by field). */
function mergeInput(base: InputOverrides | undefined, over: InputOverrides | undefined): InputOverrides | undefined {
  if (!base) return over;
  if (!over) return base;
  return { ...base, ...over, ...(base.resize || over.resize ? { resize: { ...base.resize, ...over.resize } as InputOverrides['resize'] } : {}) };
}

/** Builds the result for one ONNX file: infers the manifest from its graph. */
function located(o: {
  file: VerifiedFile | { bytes: Uint8Array; sha256: string; check: ModelOrigin['integrity'] };
  path: string;
  id: string;
  origin: Omit<ModelOrigin, 'sha256' | 'integrity'>;
  options: LocationOptions;
  config?: HfModelConfig;
  input?: InputOverrides;
  provenance?: Record<string, unknown>;
}): LocatedModel {
  const { file, options } = o;
  const graph = decodeModel(file.bytes);
  const origin: ModelOrigin = { ...o.origin, sha256: file.sha256, integrity: file.check };
  let folderInput = o.input;
  if (folderInput?.resize?.mode === 'letterbox' && folderInput.shape) {
    // A DETR-style resize into a shortest/longest-edge box becomes a letterbox: at the graph's size when it is fixed.
    const [, , gh, gw] = graphValues(graph).input.dims;
    if (gh !== undefined && gw !== undefined) folderInput = (({ shape: _s, ...rest }) => rest)(folderInput);
  }
  const manifest = inferManifest({
    model: graph,
    file: { path: o.path, bytes: file.bytes.byteLength, sha256: file.sha256 },
    id: o.id,
    labels: options.labels ?? o.config?.labels,
    task: o.config?.task,
    preset: options.preset,
    input: options.preset ? options.input : mergeInput(folderInput, options.input),
    detection: options.detection,
    provenance: { ...o.provenance, origin },
  });
  return { manifest, bytes: file.bytes, graph, origin };
}

/**
 * ONNX bytes given in memory: the manifest is inferred; with `sha256` the bytes are checked against it.
 *
 * @example
 * ```ts
 * const m = await resolveOnnxBytes({ bytes, options: { labels, preset: 'imagenet' } });
 * ```
 */
export async function resolveOnnxBytes(o: { bytes: Uint8Array | ArrayBuffer; options: LocationOptions }): Promise<LocatedModel> {
  rejectSourceOptions(o.options, ['labels', 'preset', 'input', 'detection', 'sha256'], 'ONNX bytes');
  const bytes = o.bytes instanceof Uint8Array ? o.bytes : new Uint8Array(o.bytes);
  if (bytes.byteLength === 0) throw new ModelLoadError('INVALID_MODEL', 'The model bytes are empty.');
  const sha256 = await sha256Hex(bytes);
  const want = o.options.sha256?.toLowerCase();
  if (want !== undefined && want !== sha256) {
    throw new ModelLoadError('INTEGRITY_MISMATCH', 'sha256 of the model bytes does not match the sha256 passed to load().', { details: { expected: want, actual: sha256 } });
  }
  return located({ file: { bytes, sha256, check: want ? 'declared' : 'unverified' }, path: 'model.onnx', id: 'model', origin: { kind: 'bytes' }, options: o.options });
}

/**
 * Resolves a folder or `.onnx` URL (`kind` from {@link sourceKind}); a folder's `model.json` goes to `openManifest`.
 *
 * @example
 * ```ts
 * const m = await resolveLocation({ url: new URL('https://huggingface.co/Xenova/resnet-50/resolve/main/'), kind: 'folder', options: {}, openManifest });
 * ```
 */
export async function resolveLocation(o: { url: URL; kind: Exclude<SourceKind, 'manifest'>; options: LocationOptions; openManifest: ManifestOpener }): Promise<LocatedModel | Awaited<ReturnType<ManifestOpener>>> {
  const { url, options } = o;
  const cache = await cacheOf(options);
  const c = common(options, cache);
  const progress = options.onProgress ? (loaded: number, total: number) => options.onProgress!({ loaded, total }) : undefined;
  if (o.kind === 'onnx') {
    rejectSourceOptions(options, ['labels', 'preset', 'input', 'detection', 'sha256'], 'an ONNX file URL');
    const file = (await fetchVerified({ ...c, url, sha256: options.sha256, onProgress: progress }))!;
    const path = decodeURIComponent(url.pathname.split('/').pop() || 'model.onnx');
    return located({ file, path, id: idFromUrl(url), origin: { kind: 'onnx', url: url.href, file: path }, options });
  }
  const folder = asFolder(url);
  // A model package folder: its model.json says everything (and the source options do not apply).
  const manifestUrl = new URL('model.json', folder);
  const manifestBytes = await fetchBytes({ url: manifestUrl, fetch: options.fetch, signal: options.signal }).catch((e: ModelLoadError) => {
    if (e.code === 'UNKNOWN_MODEL') return undefined;
    throw e;
  });
  if (manifestBytes) {
    rejectSourceOptions(options, [], `the model package ${manifestUrl.href}`);
    return o.openManifest(manifestUrl, manifestBytes);
  }
  return resolveHfFolder({ folder, options, c, progress });
}

/** The Hugging Face layout of `folder` (config.json and preprocessor_config.json are optional when the caller says). */
async function resolveHfFolder(o: {
  folder: URL;
  options: LocationOptions;
  c: ReturnType<typeof common>;
  progress?: (loaded: number, total: number) => void;
}): Promise<LocatedModel> {
  const { folder, options, c } = o;
  const configFile = await fetchVerified({ ...c, url: new URL('config.json', folder), optional: true });
  const preFile = await fetchVerified({ ...c, url: new URL('preprocessor_config.json', folder), optional: true });
  const config = configFile ? hfModelConfig(parseJson(configFile)) : undefined;
  const input = preFile && !options.preset ? hfInputSpec(parseJson(preFile)) : undefined;
  const tried: string[] = [];
  for (const cand of onnxCandidates(options.dtype)) {
    throwIfAborted(options.signal);
    tried.push(cand.path);
    const url = new URL(cand.path, folder);
    const file = await fetchVerified({ ...c, url, sha256: options.sha256, optional: true, onProgress: o.progress });
    if (!file) continue;
    return located({
      file,
      path: cand.path,
      id: idFromUrl(folder),
      origin: { kind: 'hf', url: folder.href, file: cand.path, dtype: cand.dtype },
      options,
      config,
      input,
      provenance: {
        format: 'huggingface',
        ...(config?.architecture ? { architecture: config.architecture } : {}),
        files: [configFile, preFile].filter(Boolean).map((f) => ({ url: f!.url, sha256: f!.sha256, integrity: f!.check })),
      },
    });
  }
  throw new ModelLoadError(
    'UNKNOWN_MODEL',
    `${folder.href} has no model.json and no ${options.dtype ? `${options.dtype} ` : ''}ONNX file (tried ${tried.join(', ')})` +
      `${configFile ? '' : '; it has no config.json either'}.`,
    { details: { url: folder.href, tried, dtype: options.dtype } },
  );
}
