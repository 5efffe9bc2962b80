// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, waitFor } from '@testing-library/react';
import { StrictMode, useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { channelWorker, fakeRuntime, type ChannelWorker, type FakeRuntime } from '@resnet-edge/core/testing';
import { createWorkerApi } from './core-web-worker.js';
import { ImageInputError, ResNetProvider, useClassification, useDetection, useResNet } from './index.js';

// The only fake at this tier: the worker is a MessageChannel in this thread (real comlink, real
// structured clone and transfer) hosting a deterministic runtime instead of the ONNX one.
function harness(opts: { task?: 'classification' | 'detection'; failLoad?: boolean } = {}) {
  const runtimes: Record<string, FakeRuntime> = {
    classification: fakeRuntime({ task: 'classification', failLoad: opts.failLoad }),
    detection: fakeRuntime({ task: 'detection' }),
  };
  const workers: ChannelWorker[] = [];
  const createWorker = () => {
    // One runtime per task; which model a worker gets is decided by the load() it receives.
    const api = createWorkerApi({
      load: (o) => runtimes[String(o.model).includes('scenes') || String(o.model).includes('det') ? 'detection' : 'classification']!.load(o),
      progressIntervalMs: 0,
    });
    const w = channelWorker({ api });
    workers.push(w);
    return w;
  };
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <ResNetProvider config={{ createWorker, modelBaseUrl: '/models/', cache: false }}>{children}</ResNetProvider>
  );
  return { runtimes, workers, wrapper, live: () => workers.filter((w) => !w.terminated).length };
}

afterEach(() => cleanup());

describe('useResNet', () => {
  it('reports loading progress, the backend, and classifies through the worker', async () => {
    const h = harness();
    const { result } = renderHook(() => useResNet({ model: 'fmnist-resnet20', task: 'classification' }), { wrapper: h.wrapper });
    expect(result.current.status).toBe('loading');
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current).toMatchObject({ backend: 'wasm', error: null, progress: { loaded: 400, total: 400 } });
    const first = result.current.classify;
    await expect(result.current.classify(new Uint8Array([1, 1]))).resolves.toEqual([{ label: 'two', score: 1 }]);
    const err = await result.current.classify({ width: 0, height: 0, data: new Uint8Array(0) }).catch((e) => e);
    expect(err).toBeInstanceOf(ImageInputError);
    expect(err.code).toBe('EMPTY_INPUT');
    expect(result.current.classify).toBe(first); // stable identity across renders
  });

  it('shares one worker per model and terminates it when the last user unmounts', async () => {
    const h = harness();
    function Two() {
      const a = useResNet({ model: 'fmnist-resnet20' });
      const b = useResNet({ model: 'fmnist-resnet20' });
      const c = useResNet({ model: 'fmnist-scenes-centernet', task: 'detection' });
      return <p>{[a.status, b.status, c.status].join(',')}</p>;
    }
    const view = render(<Two />, { wrapper: h.wrapper });
    await waitFor(() => expect(view.container.textContent).toBe('ready,ready,ready'));
    expect(h.workers).toHaveLength(2);
    view.unmount();
    await waitFor(() => expect(h.live()).toBe(0));
  });

  it('is StrictMode double-mount safe: one worker, still usable', async () => {
    const h = harness();
    const wrapper = ({ children }: { children?: ReactNode }) => <StrictMode>{h.wrapper({ children })}</StrictMode>;
    const { result, unmount } = renderHook(() => useResNet({ model: 'fmnist-resnet20' }), { wrapper });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(h.workers).toHaveLength(1);
    expect(h.live()).toBe(1);
    await expect(result.current.classify(new Uint8Array([3]))).resolves.toEqual([{ label: 'zero', score: 1 }]);
    unmount();
    await waitFor(() => expect(h.live()).toBe(0));
  });

  it('surfaces load failures with their code, and a task mismatch as INVALID_ARGUMENT', async () => {
    const h = harness({ failLoad: true });
    const failing = renderHook(() => useResNet({ model: 'fmnist-resnet20' }), { wrapper: h.wrapper });
    await waitFor(() => expect(failing.result.current.status).toBe('error'));
    expect(failing.result.current.error?.code).toBe('INTEGRITY_MISMATCH');
    const wrong = renderHook(() => useResNet({ model: 'fmnist-scenes-centernet', task: 'classification' }), { wrapper: h.wrapper });
    await waitFor(() => expect(wrong.result.current.status).toBe('error'));
    expect(wrong.result.current.error?.code).toBe('INVALID_ARGUMENT');
  });
});

describe('useClassification / useDetection', () => {
  it('is idle without an image, then pending -> success with timings', async () => {
    const h = harness();
    const { result, rerender } = renderHook(({ img }: { img: Uint8Array | null }) => useClassification(img, { topK: 3 }), {
      wrapper: h.wrapper,
      initialProps: { img: null as Uint8Array | null },
    });
    expect(result.current).toMatchObject({ status: 'idle', data: undefined, error: null });
    const img = new Uint8Array([2]);
    rerender({ img });
    expect(result.current.status).toBe('pending');
    await waitFor(() => expect(result.current.status).toBe('success'));
    const s = result.current;
    if (s.status !== 'success') throw new Error('narrowing');
    expect(s.data).toEqual([{ label: 'two', score: 1 }]);
    expect(s.latencyMs).toBeGreaterThan(0);
    expect(img.byteLength).toBe(1); // hooks copy by default: React state stays usable
  });

  it('cancels the stale request when the input changes', async () => {
    const h = harness();
    const { result, rerender } = renderHook(({ img }: { img: Uint8Array }) => useClassification(img), {
      wrapper: h.wrapper,
      initialProps: { img: new Uint8Array([10]) },
    });
    await waitFor(() => expect(result.current.status).toBe('success'));
    const rt = h.runtimes.classification!;
    let open!: () => void;
    rt.gate = new Promise<void>((r) => (open = r));
    rerender({ img: new Uint8Array([20]) }); // runs, held at the gate
    await waitFor(() => expect(rt.calls).toEqual([10, 20]));
    rerender({ img: new Uint8Array([30]) }); // queued behind 20...
    rerender({ img: new Uint8Array([40]) }); // ...and 30 is aborted before it runs
    await new Promise((r) => setTimeout(r, 30));
    await act(async () => open());
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.data).toEqual([{ label: 'one', score: 1 }]); // 40 % 3
    expect(rt.calls).toEqual([10, 20, 40]);
  });

  it('reports errors as a discriminated error state', async () => {
    const h = harness();
    const bad = new Uint8Array([255]); // inputs are compared by identity: keep them stable across renders
    const { result } = renderHook(() => useClassification(bad), { wrapper: h.wrapper });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current).toMatchObject({ data: undefined, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('detects, and shares the detector worker with useResNet', async () => {
    const h = harness();
    function App() {
      const [img] = useState(() => new Uint8Array([5, 6, 7]));
      const model = useResNet({ model: 'fmnist-scenes-centernet', task: 'detection' });
      const q = useDetection(img, { scoreThreshold: 0.5 });
      return <p>{model.status + ':' + (q.status === 'success' ? q.data.map((d) => `${d.label}@${d.box.xmax}`).join() : q.status)}</p>;
    }
    const view = render(<App />, { wrapper: h.wrapper });
    await waitFor(() => expect(view.container.textContent).toBe('ready:one@3'));
    expect(h.workers).toHaveLength(1);
  });

  it('enabled: false stays idle and starts no inference', async () => {
    const h = harness();
    const img = new Uint8Array([1]);
    const { result } = renderHook(() => useClassification(img, { enabled: false }), { wrapper: h.wrapper });
    await new Promise((r) => setTimeout(r, 20));
    expect(result.current.status).toBe('idle');
    expect(h.runtimes.classification!.calls).toEqual([]);
  });
});
