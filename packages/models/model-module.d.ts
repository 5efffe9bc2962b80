/** Built-in resnet-edge model: its manifest and int8 ONNX bytes (each `@resnet-edge/models/<id>` module). */
/** The model package manifest (model.json): validated and sha256-checked by `@resnet-edge/core`'s `load()`. */
export declare const manifest: {
  readonly id: string;
  readonly task: 'classification' | 'detection';
  readonly labels: readonly string[];
  readonly files: readonly { readonly path: string; readonly role: string; readonly bytes: number; readonly sha256: string }[];
  readonly [key: string]: unknown;
};
/**
 * The int8 ONNX model bytes (a fresh copy per call): every file of `manifest.files` back to back, in that order (a
 * two-stage detector's model, then its refine classifier), as `load({ model: { manifest, bytes } })` takes them.
 *
 * @example
 * ```ts
 * import { manifest, bytes } from '@resnet-edge/models/fmnist-resnet20';
 * const model = await load({ model: { manifest, bytes: await bytes() } });
 * ```
 */
export declare function bytes(): Promise<Uint8Array>;
