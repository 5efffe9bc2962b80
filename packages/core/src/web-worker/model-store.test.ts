import { describe, expect, it, vi } from 'vitest';
import { BackendError, ImageInputError, ModelLoadError, ResNetEdgeError } from '../errors.js';
import { ModelStore, type ModelSnapshot } from './model-store.js';
import { channelWorker, type ChannelWorker } from '../testing/channel-worker.js';
import { fakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { createWorkerApi } from './worker-api.js';

function setup(opts: { task?: 'classification' | 'detection'; failLoad?: boolean } = {}) {
  const rt: FakeRuntime = fakeRuntime({ task: opts.task ?? 'classification', failLoad: opts.failLoad });
  const workers: ChannelWorker[] = [];
  const store = new ModelStore({
    load: { model: 'fake', cache: false },
    createWorker: () => {
      const w = channelWorker({ api: createWorkerApi({ load: rt.load, progressIntervalMs: 0 }) });
      workers.push(w);
      return w;
    },
  });
  const snapshots: ModelSnapshot[] = [];
  store.subscribe(() => snapshots.push(store.getSnapshot()));
  return { rt, store, workers, snapshots };
}

const until = (store: ModelStore, status: string) =>
  vi.waitFor(() => expect(store.getSnapshot().status).toBe(status), { timeout: 2000 });

describe('ModelStore over comlink', () => {
  it('loads with progress, then classifies with timings', async () => {
    const { store, snapshots } = setup();
    expect(store.getSnapshot().status).toBe('idle');
    const release = store.acquire();
    expect(store.getSnapshot().status).toBe('loading');
    await until(store, 'ready');
    const progress = snapshots.map((s) => s.progress?.loaded).filter((x) => x !== undefined);
    expect(progress).toEqual([100, 200, 300, 400]);
    expect(store.getSnapshot()).toMatchObject({ backend: 'wasm', error: null, progress: { loaded: 400, total: 400 } });
    const r = await store.classifyTimed(new Uint8Array([1, 1, 2]), {});
    expect(r.result).toEqual([{ label: 'one', score: 1 }]);
    expect(r.latencyMs).toBeGreaterThanOrEqual(r.inferenceMs);
    release();
  });

  it('keeps error class and code across the boundary', async () => {
    const { store } = setup();
    const release = store.acquire();
    const err = await store.classify(new Uint8Array(0).buffer.slice(0) as ArrayBuffer).catch((e) => e);
    // Empty buffers are refused on the main thread already; an empty RGBA image reaches the worker.
    expect(err).toBeInstanceOf(ImageInputError);
    const remote = await store.classify({ width: 0, height: 0, data: new Uint8Array(0) }).catch((e) => e);
    expect(remote).toBeInstanceOf(ImageInputError);
    expect(remote.code).toBe('EMPTY_INPUT');
    const internal = await store.classify(new Uint8Array([255])).catch((e) => e);
    expect(internal).toBeInstanceOf(ResNetEdgeError);
    expect(internal.code).toBe('INTERNAL');
    expect(internal.message).toBe('boom');
    release();
  });

  it('reports a load failure as a ModelLoadError with its code', async () => {
    const { store } = setup({ failLoad: true });
    const release = store.acquire();
    await until(store, 'error');
    const { error } = store.getSnapshot();
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error?.code).toBe('INTEGRITY_MISMATCH');
    expect(error?.details).toEqual({ path: 'model.onnx' });
    await expect(store.classify(new Uint8Array([1]))).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    release();
  });

  it('transfers buffers by default and copies when asked', async () => {
    const { store } = setup();
    const release = store.acquire();
    const moved = new Uint8Array([1, 2, 3]);
    await store.classify(moved);
    expect(moved.byteLength).toBe(0); // detached: it went to the worker without a copy
    const kept = new Uint8Array([1, 2, 3]);
    await store.classify(kept, { transfer: false });
    expect(kept.byteLength).toBe(3);
    const view = new Uint8Array(new ArrayBuffer(8), 2, 3); // a view on a bigger buffer is never transferred
    await store.classify(view);
    expect(view.byteLength).toBe(3);
    release();
  });

  it('aborts at once, and a request cancelled while queued never reaches the model', async () => {
    const { store, rt } = setup();
    const release = store.acquire();
    await until(store, 'ready');
    let open!: () => void;
    rt.gate = new Promise<void>((r) => (open = r));
    const first = store.classify(new Uint8Array([1]));
    const ac = new AbortController();
    const second = store.classify(new Uint8Array([2]), { signal: ac.signal });
    await vi.waitFor(() => expect(rt.calls).toEqual([1]));
    ac.abort();
    await expect(second).rejects.toMatchObject({ code: 'ABORTED' });
    await new Promise((r) => setTimeout(r, 20)); // the cancel message is a hop away, like a real worker's
    open();
    await first;
    const third = await store.classify(new Uint8Array([3]));
    expect(third[0]?.label).toBe('zero');
    expect(rt.calls).toEqual([1, 3]);
    await expect(store.classify(new Uint8Array([4]), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    release();
  });

  it('shares one worker between users and terminates it after the last release', async () => {
    const { store, workers, rt } = setup();
    const a = store.acquire();
    const b = store.acquire();
    a();
    a(); // idempotent
    await new Promise((r) => setTimeout(r, 5));
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
    b();
    // StrictMode: release then immediately re-acquire keeps the same worker.
    const c = store.acquire();
    await new Promise((r) => setTimeout(r, 5));
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
    await until(store, 'ready');
    rt.gate = new Promise(() => {});
    const pending = store.classify(new Uint8Array([9])).catch((e) => e);
    c();
    await new Promise((r) => setTimeout(r, 5));
    expect(workers[0]!.terminated).toBe(true);
    expect(store.getSnapshot().status).toBe('idle');
    expect(await pending).toMatchObject({ code: 'DISPOSED' });
    await expect(store.classify(new Uint8Array([1]))).rejects.toMatchObject({ code: 'DISPOSED' });
    // Reuse after termination starts a fresh worker.
    rt.gate = undefined;
    const d = store.acquire();
    await until(store, 'ready');
    expect(await store.classify(new Uint8Array([2]))).toEqual([{ label: 'two', score: 1 }]);
    expect(workers).toHaveLength(2);
    d();
  });

  it('turns a worker crash into an error state and rejects what was pending', async () => {
    const { store, workers, rt } = setup();
    const release = store.acquire();
    await until(store, 'ready');
    rt.gate = new Promise(() => {});
    const pending = store.classify(new Uint8Array([1]));
    workers[0]!.crash('out of memory');
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(store.getSnapshot()).toMatchObject({ status: 'error' });
    release();
  });

  it('refuses the wrong task and unsupported inputs with stable codes', async () => {
    const { store } = setup({ task: 'detection' });
    const release = store.acquire();
    await expect(store.classify(new Uint8Array([1]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await store.detect(new Uint8Array([1, 2]))).toEqual([{ label: 'one', score: 0.9, box: { xmin: 0, ymin: 0, xmax: 2, ymax: 1 } }]);
    await expect(store.detect(42 as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.detect({ foo: 1 } as never)).rejects.toMatchObject({ code: 'UNSUPPORTED_IMAGE_FORMAT' });
    release();
  });
});
