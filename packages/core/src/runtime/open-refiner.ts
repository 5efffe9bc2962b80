/** Opens the second-stage classifier of a two-stage detector package on the detector's own backend. */
import type { OrtOptions } from '../backends/ort/ort-module.js';
import type { BackendRegistry } from '../backends/backend-registry.js';
import type { ResolvedBackend } from '../backends/types.js';
import { decodeModel } from '../onnx/decode.js';
import type { ModelManifest } from '../package/manifest-types.js';
import { checkModelContract } from './model-contract.js';
import { REFINE_BATCH, Refiner } from './refiner.js';

/**
 * Validates the refine classifier against `manifest.detection.refine` (input name and crop size, one logit per label)
 * and opens it on `backend`, the one the detector runs on, so both stages run on the same engine.
 *
 * @example
 * ```ts
 * const refiner = await openRefiner({ manifest, bytes: refineBytes, registry, backend: session.backend });
 * ```
 */
export async function openRefiner(o: {
  manifest: ModelManifest;
  bytes: Uint8Array;
  registry: BackendRegistry;
  backend: ResolvedBackend;
  numThreads?: number;
  ort?: OrtOptions;
}): Promise<Refiner> {
  const spec = o.manifest.detection!.refine!;
  const file = o.manifest.files.find((f) => f.role === 'refine')!;
  const manifest: ModelManifest = {
    ...o.manifest,
    id: `${o.manifest.id}.refine`,
    task: 'classification',
    input: { ...o.manifest.input, name: spec.input, shape: [REFINE_BATCH, o.manifest.input.shape[1], spec.size, spec.size] },
    output: { name: spec.output, kind: 'logits' },
    detection: undefined,
    files: [{ ...file, role: 'model' }],
  };
  const graph = decodeModel(o.bytes);
  checkModelContract(graph, manifest);
  const session = await o.registry.createSession({
    backend: o.backend,
    manifest,
    modelBytes: o.bytes,
    model: graph,
    numThreads: o.numThreads,
    ...(o.ort ? { ort: o.ort } : {}),
  });
  return new Refiner({ session, spec, numClasses: o.manifest.labels.length });
}
