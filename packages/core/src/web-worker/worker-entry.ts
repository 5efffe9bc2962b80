/**
 * The Web Worker script: hosts the runtime and exposes {@link createWorkerApi} over comlink.
 * Build it as its own bundle (e.g. `esbuild --bundle --format=esm worker-entry.ts`) and start it with
 * `new Worker(url, { type: 'module' })`.
 */
import { expose } from 'comlink';
import { load } from '../index.js';
import { installErrorTransferHandler } from './error-transfer.js';
import type { RuntimeLoad } from './protocol.js';
import { createWorkerApi } from './worker-api.js';

installErrorTransferHandler();
// core's load() returns richer types than the structural slice the worker needs.
expose(createWorkerApi({ load: load as unknown as RuntimeLoad }));
