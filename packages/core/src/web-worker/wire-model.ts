/**
 * Built-in model ids become bytes on the page, before they cross to the worker: the worker script then never imports
 * `@resnet-edge/models`, which bundlers would otherwise pack into it (Vite's default worker format inlines every
 * dynamic import), while the page's bundle keeps each model in its own lazily loaded chunk.
 */
import { importBuiltinModel } from '../package/builtin-models.js';
import { isBuiltinModel } from '../package/builtin-ids.js';
import type { ModelManifest } from '../package/manifest-types.js';
import type { WorkerLoadOptions } from './protocol.js';

/**
 * The load options to send: a built-in id without `modelBaseUrl` is replaced by its `{ manifest, bytes }` (bytes
 * transferred, not copied); anything else is sent as is.
 *
 * @example
 * ```ts
 * const { options, transfer: t } = await toWireLoad({ model: 'fmnist-resnet20' });
 * await api.load(transfer(options, t));
 * ```
 */
export async function toWireLoad(load: WorkerLoadOptions): Promise<{ options: WorkerLoadOptions; transfer: Transferable[] }> {
  const { model } = load;
  if (typeof model !== 'string' || load.modelBaseUrl !== undefined || !isBuiltinModel(model)) return { options: load, transfer: [] };
  const { manifest, bytes } = await importBuiltinModel(model);
  return { options: { ...load, model: { manifest: manifest as ModelManifest, bytes } }, transfer: [bytes.buffer] };
}
