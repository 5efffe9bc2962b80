/**
 * Framework-free, subscribable handle on one model living in one Web Worker. Reference counted: the
 * worker starts on the first `acquire()` and is terminated shortly after the last release (the short
 * delay lets React StrictMode's unmount/remount reuse the same worker). `subscribe`/`getSnapshot`
 * match `useSyncExternalStore`; snapshots are immutable and only replaced on change.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import { BackendError, ResNetEdgeError, throwIfAborted } from '../errors.js';
import type { ResolvedBackend } from '../backends/types.js';
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import type { ModelManifest, NmsMode } from '../package/manifest-types.js';
import { installErrorTransferHandler } from './error-transfer.js';
import type {
  LoadProgress,
  WorkerApi,
  WorkerClassification,
  WorkerDetection,
  WorkerLike,
  WorkerLoadOptions,
  WorkerModelInfo,
} from './protocol.js';
import { prepareImage, type ClientImage } from './wire-image.js';
import { workerScriptUrl } from './default-worker.js';
import { describeWorkerFailure, type WorkerErrorEvent } from './worker-failure.js';
import { toWireLoad } from './wire-model.js';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelSnapshot {
  status: ModelStatus;
  backend: ResolvedBackend | null;
  manifest: ModelManifest | null;
  progress: LoadProgress | null;
  error: ResNetEdgeError | null;
  /** Model files served from Cache Storage (sha256-verified) in the last load. */
  cacheHits: number;
}

export interface InferenceCallOptions {
  signal?: AbortSignal;
  /** Move ArrayBuffer / ImageBitmap / pixel buffers into the worker instead of copying. Default true. */
  transfer?: boolean;
  /** Image settings for this call, over the load's (`WorkerLoadOptions.preprocess`), e.g. `{ decode: 'exact' }`. */
  preprocess?: ImagePreprocessOptions;
}
export interface ClassifyCallOptions extends InferenceCallOptions {
  topK?: number;
}
export interface DetectCallOptions extends InferenceCallOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  maxDetections?: number;
  /** 'class-agnostic' (one box per object) or 'per-class'; default: the model's manifest. */
  nms?: NmsMode;
}

/** A result with timings: `inferenceMs` inside the worker, `latencyMs` round trip seen by the caller. */
export interface Timed<T> {
  result: T;
  inferenceMs: number;
  latencyMs: number;
}

export interface ModelStoreOptions {
  load: WorkerLoadOptions;
  createWorker: () => WorkerLike;
  /** Delay before terminating an unused worker, ms. Default 0 (next macrotask). */
  releaseDelayMs?: number;
  /** Called when the worker is terminated (the registry forgets the store). */
  onTerminate?: (store: ModelStore) => void;
  /** Called when a terminated store is started again. */
  onRestart?: (store: ModelStore) => void;
}

interface Session {
  worker: WorkerLike;
  api: Remote<WorkerApi>;
  ready: Promise<WorkerModelInfo>;
  /** Rejects when the worker dies or is terminated; never resolves. */
  dead: Promise<never>;
  kill: (err: ResNetEdgeError) => void;
}

const IDLE: ModelSnapshot = Object.freeze({
  status: 'idle',
  backend: null,
  manifest: null,
  progress: null,
  error: null,
  cacheHits: 0,
}) as ModelSnapshot;

/** The snapshot every store reports before it starts (and on the server). */
export const IDLE_MODEL_SNAPSHOT: ModelSnapshot = IDLE;

/**
 * One model in one worker.
 *
 * @example
 * ```ts
 * const store = new ModelStore({ load: { model: 'fmnist-resnet20' }, createWorker: () => new Worker(url, { type: 'module' }) });
 * const release = store.acquire();
 * const top5 = await store.classify(blob, { topK: 5 });
 * release();
 * ```
 */
export class ModelStore {
  private snapshot: ModelSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private refs = 0;
  private session: Session | undefined;
  private terminateTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 0;

  constructor(private readonly options: ModelStoreOptions) {
    installErrorTransferHandler();
  }

  /** @example const unsubscribe = store.subscribe(() => render(store.getSnapshot())); */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** @example const { status, progress } = store.getSnapshot(); */
  getSnapshot = (): ModelSnapshot => this.snapshot;

  /**
   * Declares a user; starts the worker and the load if needed. Returns an idempotent release.
   *
   * @example
   * ```ts
   * useEffect(() => store.acquire(), [store]);
   * ```
   */
  acquire(): () => void {
    this.refs++;
    if (this.terminateTimer !== undefined) {
      clearTimeout(this.terminateTimer);
      this.terminateTimer = undefined;
    }
    this.start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.refs === 0) {
        this.terminateTimer = setTimeout(() => {
          this.terminateTimer = undefined;
          if (this.refs === 0) this.terminate();
        }, this.options.releaseDelayMs ?? 0);
      }
    };
  }

  /** @example const top5 = await store.classify(blob, { topK: 5, signal }); */
  async classify(image: ClientImage, options: ClassifyCallOptions = {}): Promise<WorkerClassification[]> {
    return (await this.classifyTimed(image, options)).result;
  }

  /** @example const boxes = await store.detect(blob, { scoreThreshold: 0.4 }); */
  async detect(image: ClientImage, options: DetectCallOptions = {}): Promise<WorkerDetection[]> {
    return (await this.detectTimed(image, options)).result;
  }

  /** Like {@link classify}, with timings. @example const { result, latencyMs } = await store.classifyTimed(img); */
  classifyTimed(image: ClientImage, options: ClassifyCallOptions = {}): Promise<Timed<WorkerClassification[]>> {
    const { signal, transfer: t, topK, preprocess } = options;
    return this.run('classification', image, { signal, transfer: t }, (api, id, img, tr) =>
      api.classify(transfer({ id, image: img, ...(topK !== undefined ? { topK } : {}), ...(preprocess ? { preprocess } : {}) }, tr)),
    );
  }

  /** Like {@link detect}, with timings. @example const { result, inferenceMs } = await store.detectTimed(img); */
  detectTimed(image: ClientImage, options: DetectCallOptions = {}): Promise<Timed<WorkerDetection[]>> {
    const { signal, transfer: t, ...rest } = options;
    const opts = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return this.run('detection', image, { signal, transfer: t }, (api, id, img, tr) =>
      api.detect(transfer({ id, image: img, ...opts }, tr)),
    );
  }

  private async run<T>(
    task: 'classification' | 'detection',
    image: ClientImage,
    options: InferenceCallOptions,
    call: (api: Remote<WorkerApi>, id: number, image: any, transfer: Transferable[]) => Promise<{ result: T; inferenceMs: number }>,
  ): Promise<Timed<T>> {
    const { signal } = options;
    throwIfAborted(signal);
    const session = this.session;
    if (!session) throw new ResNetEdgeError('DISPOSED', 'The model is not in use: acquire() it before inference.');
    const started = performance.now();
    const info = await race(session.ready, signal, session.dead);
    if (info.manifest.task !== task) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `Model "${info.manifest.id}" is a ${info.manifest.task} model, not ${task}.`);
    }
    const preparing = prepareImage({ image, transfer: options.transfer ?? true });
    const prepared = await race(preparing, signal, session.dead).catch((err: unknown) => {
      // Aborted or dead while a frame was being snapshotted: free the bitmap nobody will receive.
      preparing.then((p) => p.owned && (p.image as ImageBitmap).close(), () => {});
      throw err;
    });
    if (signal?.aborted) {
      if (prepared.owned) (prepared.image as ImageBitmap).close();
      throwIfAborted(signal);
    }
    const id = ++this.nextId;
    const onAbort = () => void session.api.cancel(id).catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const { result, inferenceMs } = await race(call(session.api, id, prepared.image, prepared.transfer), signal, session.dead);
      return { result, inferenceMs, latencyMs: performance.now() - started };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private start(): void {
    if (this.session) return;
    if (this.snapshot !== IDLE) this.options.onRestart?.(this);
    let worker: WorkerLike;
    try {
      worker = this.options.createWorker();
    } catch (cause) {
      this.set({ ...IDLE, status: 'error', error: new BackendError('BACKEND_UNAVAILABLE', 'Could not start the inference worker.', { cause }) });
      return;
    }
    let kill!: (err: ResNetEdgeError) => void;
    const dead = new Promise<never>((_, reject) => (kill = reject));
    dead.catch(() => {});
    const onError = (ev: (WorkerErrorEvent & { preventDefault?: () => void }) | undefined) => {
      ev?.preventDefault?.();
      // A script that failed to load gives no reason: describeWorkerFailure asks the server (URL, status, type).
      void describeWorkerFailure({ event: ev, url: workerScriptUrl(worker) }).then((err) => {
        if (this.session === session) this.set({ ...this.snapshot, status: 'error', error: err });
        kill(err);
      });
    };
    worker.addEventListener('error', onError);
    const api = wrap<WorkerApi>(worker as unknown as Parameters<typeof wrap>[0]);
    const onProgress = proxy((p: LoadProgress) => {
      if (this.session === session && this.snapshot.status === 'loading') this.set({ ...this.snapshot, progress: { ...p } });
    });
    const wire = toWireLoad(this.options.load);
    const ready = race(
      wire.then(({ options, transfer: t }) => api.load(transfer(options, t), onProgress)),
      undefined,
      dead,
    );
    const session: Session = { worker, api, ready, dead, kill };
    this.session = session;
    this.set({ ...IDLE, status: 'loading' });
    ready.then(
      (info) => {
        if (this.session !== session) return;
        // Progress travels on its own port and may trail the load's answer: ready means fully downloaded.
        const p = this.snapshot.progress;
        const progress = p && p.total > 0 ? { loaded: p.total, total: p.total } : p;
        this.set({ ...this.snapshot, status: 'ready', progress, backend: info.backend, manifest: info.manifest, cacheHits: info.cacheHits });
      },
      (err: unknown) => {
        if (this.session !== session) return;
        const e = err instanceof ResNetEdgeError ? err : new ResNetEdgeError('INTERNAL', String(err));
        this.set({ ...this.snapshot, status: 'error', error: e });
      },
    );
  }

  private terminate(): void {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    session.kill(new ResNetEdgeError('DISPOSED', 'The model worker was terminated.'));
    session.worker.terminate();
    this.set(IDLE);
    this.options.onTerminate?.(this);
  }

  private set(next: ModelSnapshot): void {
    this.snapshot = Object.freeze(next);
    for (const l of [...this.listeners]) l();
  }
}

/** Settles with `p`, or rejects early with ABORTED when `signal` fires, or with whatever `dead` rejects with. */
function race<T>(p: Promise<T>, signal: AbortSignal | undefined, dead: Promise<never>): Promise<T> {
  if (!signal) return Promise.race([p, dead]);
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ResNetEdgeError('ABORTED', 'The operation was aborted.', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.race([p, dead]).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
