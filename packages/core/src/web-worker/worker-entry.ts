/**
 * The Web Worker script: hosts the runtime and exposes {@link createWorkerApi} over comlink. Published as
 * `@resnet-edge/core/worker-entry`; `createDefaultWorker()` starts it with `new Worker(url, { type: 'module' })`.
 * Built-in model ids are resolved on the page (model-store.ts) and arrive here as bytes, so this script does not
 * import `@resnet-edge/models` (Vite bundles workers as one file by default and would inline every model).
 */
import { expose } from 'comlink';
import { loadModel } from '../runtime/load-model.js';
import { installErrorTransferHandler } from './error-transfer.js';
import type { RuntimeLoad } from './protocol.js';
import { createWorkerApi } from './worker-api.js';

installErrorTransferHandler();
// core's loadModel() returns richer types than the structural slice the worker needs.
expose(createWorkerApi({ load: loadModel as unknown as RuntimeLoad }));
