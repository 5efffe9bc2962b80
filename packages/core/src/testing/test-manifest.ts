/**
 * Manifest builders for tests (exported as `@resnet-edge/core/testing`, not from the main entry): one place that
 * knows what a valid manifest needs, so tests only spell out the fields they are about.
 */
import type { InputSpec, ManifestFile, ModelManifest } from '../package/manifest-types.js';

/** {@link testManifest} options: any manifest field, with `input` reduced to what differs between tests. */
export type TestManifestOptions = Partial<Omit<ModelManifest, 'input' | 'files'>> & {
  input: Pick<InputSpec, 'shape' | 'channels'> & Partial<InputSpec>;
  files: ManifestFile[];
};

/**
 * A valid manifest: classification, labels `['a']`, fp32, input `input` stretched bilinearly with scale 255,
 * mean 0 and std 1 per channel, unless the options say otherwise.
 *
 * @example
 * ```ts
 * const manifest = testManifest({
 *   input: { shape: [1, 1, 28, 28], channels: 'grayscale' },
 *   files: [{ path: 'model.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
 * });
 * ```
 */
export function testManifest(options: TestManifestOptions): ModelManifest {
  const { input, ...rest } = options;
  const channels = input.shape[1];
  return {
    schemaVersion: 1,
    id: 'test-model',
    task: 'classification',
    labels: ['a'],
    quantization: { format: 'none' },
    ...rest,
    input: {
      name: 'input',
      layout: 'NCHW',
      resize: { mode: 'stretch', filter: 'bilinear' },
      scale: 255,
      mean: new Array<number>(channels).fill(0),
      std: new Array<number>(channels).fill(1),
      ...input,
    },
  };
}

/** Core's committed `tiny-op13.onnx`: a small conv net with fixed random weights, input [N,3,32,32] -> 10 logits. */
export const TINY_OP13_URL = new URL('../../test-fixtures/quantize/tiny-op13.onnx', import.meta.url);

/**
 * The manifest that fits {@link TINY_OP13_URL}; its ten labels (`class-0`..`class-9`) are meaningless.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array(readFileSync(TINY_OP13_URL));
 * const manifest = tinyOp13Manifest({
 *   id: 'tiny',
 *   files: [{ path: 'model.onnx', role: 'model', bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }],
 * });
 * ```
 */
export function tinyOp13Manifest(options: { id: string; files: ManifestFile[] }): ModelManifest {
  return testManifest({
    id: options.id,
    labels: Array.from({ length: 10 }, (_, i) => `class-${i}`),
    input: { shape: [1, 3, 32, 32], channels: 'rgb', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    output: { name: 'logits', kind: 'logits' },
    files: options.files,
  });
}
