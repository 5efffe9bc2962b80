/**
 * This repository's Worker (wrangler.toml `main`): the API on the own int8 engine with onnxruntime-web as fallback,
 * configured entirely by the wrangler.toml vars. Your own Worker is the same two lines with your options.
 *
 * @example
 * ```sh
 * npx wrangler dev   # then: curl -X POST --data-binary @shirt.png http://127.0.0.1:8787/v1/classify
 * ```
 */
import { createWorker } from './workerd-ort.js';

/** The module-syntax Worker. */
export default createWorker();
