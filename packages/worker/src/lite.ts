/**
 * "Lite" Worker entry (`wrangler deploy --env lite`): only the project's own int8 wasm engine, no
 * onnxruntime-web, so the upload fits the Workers Free 3 MB limit (see README, Bundle size).
 * Models must be graphs the own engine supports; anything else answers 503 BACKEND_UNAVAILABLE.
 *
 * @example
 * ```sh
 * npx wrangler dev --env lite
 * ```
 */
import { createWorker } from './workerd.js';

/** The module-syntax Worker. */
export default createWorker();
