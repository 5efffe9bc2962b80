/**
 * Test helper: a deterministic stand-in for core's `load()` (the runtime is tested on its own; these
 * tests are about the worker protocol, queueing, cancellation and error transport).
 */
import { ImageInputError, ModelLoadError, throwIfAborted } from '../errors.js';
import type { ModelManifest } from '../package/manifest-types.js';
import type { RuntimeLoad, RuntimeModel, WireImage } from '../web-worker/protocol.js';

export interface FakeRuntime {
  load: RuntimeLoad;
  /** Inference calls that actually reached the model, in order (first byte of each image). */
  calls: number[];
  /** When set, inference waits for this before answering. */
  gate: Promise<void> | undefined;
  disposed: number;
}

export function fakeManifest(task: 'classification' | 'detection', id = 'fake-' + task): ModelManifest {
  return {
    schemaVersion: 1,
    id,
    task,
    labels: ['zero', 'one', 'two'],
    input: { name: 'x', shape: [1, 1, 4, 4], layout: 'NCHW', channels: 'grayscale', resize: { mode: 'stretch', filter: 'bilinear' }, scale: 255, mean: [0], std: [1] },
    quantization: { format: 'none' },
    files: [],
  };
}

function bytesOf(image: WireImage): Uint8Array {
  if (image instanceof ArrayBuffer) return new Uint8Array(image);
  if (image instanceof Uint8Array) return image;
  if ('width' in image && 'data' in image) return new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', 'fake runtime takes bytes only');
}

/**
 * Classification answers `label = labels[sum % 3]`, score 1; detection answers one box as wide as the
 * byte count. An empty input throws EMPTY_INPUT; a first byte of 255 throws a plain TypeError.
 *
 * @example
 * ```ts
 * const rt = fakeRuntime({ task: 'classification' });
 * ```
 */
export function fakeRuntime(options: { task: 'classification' | 'detection'; failLoad?: boolean; progressSteps?: number }): FakeRuntime {
  const rt: FakeRuntime = {
    calls: [],
    gate: undefined,
    disposed: 0,
    load: async ({ onProgress, fetch: f }) => {
      void f;
      const steps = options.progressSteps ?? 4;
      for (let i = 1; i <= steps; i++) {
        await new Promise((r) => setTimeout(r, 1));
        onProgress?.({ loaded: i * 100, total: steps * 100 });
      }
      if (options.failLoad) throw new ModelLoadError('INTEGRITY_MISMATCH', 'sha256 of "model.onnx" does not match the manifest.', { details: { path: 'model.onnx' } });
      const manifest = fakeManifest(options.task);
      const infer = async (image: WireImage, signal?: AbortSignal) => {
        const bytes = bytesOf(image);
        if (bytes.byteLength === 0) throw new ImageInputError('EMPTY_INPUT', 'empty');
        rt.calls.push(bytes[0]!);
        if (bytes[0] === 255) throw new TypeError('boom');
        if (rt.gate) await rt.gate;
        throwIfAborted(signal);
        let sum = 0;
        for (const b of bytes) sum += b;
        return { sum, n: bytes.byteLength };
      };
      const model: RuntimeModel = {
        backend: 'wasm',
        manifest,
        classify: async (image, { signal }) => {
          const { sum } = await infer(image, signal);
          return [{ label: manifest.labels[sum % 3]!, score: 1 }];
        },
        detect: async (image, { signal }) => {
          const { n } = await infer(image, signal);
          return [{ label: 'one', score: 0.9, box: { xmin: 0, ymin: 0, xmax: n, ymax: 1 } }];
        },
        dispose: async () => {
          rt.disposed++;
        },
      };
      return model;
    },
  };
  return rt;
}
