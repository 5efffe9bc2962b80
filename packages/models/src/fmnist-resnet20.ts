/** Built-in model `fmnist-resnet20` in the repository (the published package embeds it: scripts/build.mjs). */
import json from '../../../models/fmnist-resnet20/model.json' with { type: 'json' };
import { readRepoModel } from './repo-file.js';

/** The model package's manifest (models/fmnist-resnet20/model.json). */
export const manifest = json;

/**
 * The int8 ONNX bytes (sha256-checked by core's `load()` against {@link manifest}).
 *
 * @example
 * ```ts
 * import { manifest, bytes } from '@resnet-edge/models/fmnist-resnet20';
 * const model = await load({ model: { manifest, bytes: await bytes() } });
 * ```
 */
export function bytes(): Promise<Uint8Array> {
  return readRepoModel({ id: 'fmnist-resnet20', manifest: json });
}
