/** load()'s options for models without a manifest, as they cross to the worker (one list: package/source-options.ts). */
import { SOURCE_KEYS } from '../package/source-options.js';
import type { WorkerSourceOptions } from './protocol.js';

/** The source options plus the worker's thread count: what changes the model a worker loads. */
export type WorkerSourceFields = WorkerSourceOptions & { numThreads?: number };

const KEYS = [...SOURCE_KEYS, 'pins', 'numThreads'] as const;

/**
 * The defined source options of `o`, in a fixed key order (so JSON.stringify of the result is a stable key).
 *
 * @example
 * ```ts
 * pickSourceOptions({ model: 'x', labels: ['a'], backend: 'wasm' }); // { labels: ['a'] }
 * ```
 */
export function pickSourceOptions(o: WorkerSourceFields): WorkerSourceFields {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) if (o[k] !== undefined) out[k] = o[k];
  return out as WorkerSourceFields;
}
