/**
 * Per-isolate model cache over the static-assets binding. Each model is fetched, integrity-checked
 * (core verifies size + sha256 of the ONNX file or of every `part`, via crypto.subtle) and compiled
 * once per isolate; concurrent first requests share one load.
 */
import { load, ResNetEdgeError, validateManifest, type BackendName, type BackendRegistry, type ModelManifest, type ResNetModel } from '@resnet-edge/core';
import type { AssetsBinding } from './env.js';

/** Assets are addressed through the binding only; this origin is never reachable from outside. */
const ASSET_ORIGIN = 'https://assets.invalid/';

/** Options of {@link createModelCache}. */
export interface ModelCacheOptions {
  assets: AssetsBinding;
  /** Ids the deployment serves; anything else is `UNKNOWN_MODEL` without touching the binding. */
  allowed: string[];
  backend: BackendName;
  /** Backend registry (the worker passes one with the workerd-shimmed onnxruntime-web). */
  registry?: BackendRegistry;
}

/** A loaded-model cache. */
export interface ModelCache {
  /** The loaded model (loads on first call). */
  get(options: { id: string }): Promise<ResNetModel>;
  /** The validated manifest without loading weights (for `GET /v1/models`). */
  manifest(options: { id: string }): Promise<ModelManifest>;
  /** Ids whose load has finished successfully in this isolate. */
  loaded(): string[];
}

/**
 * Creates a model cache.
 *
 * @example
 * ```ts
 * const cache = createModelCache({ assets: env.ASSETS, allowed: ['fmnist-resnet20'], backend: 'ort-wasm' });
 * const model = await cache.get({ id: 'fmnist-resnet20' });
 * ```
 */
export function createModelCache(options: ModelCacheOptions): ModelCache {
  const models = new Map<string, Promise<ResNetModel>>();
  const manifests = new Map<string, Promise<ModelManifest>>();
  const done = new Set<string>();
  const assetFetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    options.assets.fetch(new Request(input instanceof URL ? input.href : input, init))) as typeof fetch;

  const check = (id: string) => {
    if (!options.allowed.includes(id)) {
      throw new ResNetEdgeError('UNKNOWN_MODEL', `Unknown model "${id}". This deployment serves: ${options.allowed.join(', ')}.`, {
        details: { model: id },
      });
    }
  };
  // Failed loads are evicted so a transient failure does not poison the isolate.
  const memo = <T>(map: Map<string, Promise<T>>, id: string, make: () => Promise<T>): Promise<T> => {
    let p = map.get(id);
    if (!p) {
      p = make();
      map.set(id, p);
      p.catch(() => map.delete(id));
    }
    return p;
  };

  return {
    async get({ id }) {
      check(id);
      return memo(models, id, async () => {
        const model = await load({
          model: new URL(`${id}/model.json`, ASSET_ORIGIN),
          backend: options.backend,
          fetch: assetFetch,
          // Under `auto`, a graph the own engine cannot run falls back to onnxruntime-web: say so in the logs.
          onFallback: (e) => console.warn(`resnet-edge: model "${id}" skipped backend ${e.backend}: ${e.reason}`),
          ...(options.registry ? { registry: options.registry } : {}),
        }).catch((e: unknown) => {
          // A missing asset surfaces from core with the internal asset URL; callers only need the id.
          if (e instanceof ResNetEdgeError && e.code === 'UNKNOWN_MODEL') notDeployed(id);
          throw e;
        });
        done.add(id);
        return model;
      });
    },
    async manifest({ id }) {
      check(id);
      return memo(manifests, id, async () => {
        const res = await assetFetch(new URL(`${id}/model.json`, ASSET_ORIGIN));
        if (res.status === 404) notDeployed(id);
        if (!res.ok) throw new ResNetEdgeError('MODEL_FETCH_FAILED', `Reading the manifest of "${id}" failed with HTTP ${res.status}.`);
        return validateManifest(await res.json());
      });
    },
    loaded: () => options.allowed.filter((id) => done.has(id)),
  };
}

function notDeployed(id: string): never {
  throw new ResNetEdgeError('UNKNOWN_MODEL', `Model "${id}" is not deployed.`, { details: { model: id } });
}
