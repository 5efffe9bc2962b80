/**
 * What `load()` checks before choosing a backend: the graph is valid on its own (onnx/validate-model.ts) and agrees
 * with its manifest (input name and fixed sizes, the classifier's output size against the labels), so every backend
 * rejects the same models with INVALID_MODEL and the reason.
 */
import { ModelLoadError } from '../errors.js';
import type { OnnxModel, OnnxValueInfo } from '../onnx/index.js';
import { validateModel } from '../onnx/validate-model.js';
import type { ModelManifest } from '../package/manifest-types.js';

/**
 * Throws INVALID_MODEL when the graph is invalid or does not fit the manifest.
 *
 * @example
 * ```ts
 * checkModelContract(decodeModel(bytes), manifest); // graph input [1e9,1,28,28] -> INVALID_MODEL
 * ```
 */
export function checkModelContract(model: OnnxModel, manifest: ModelManifest): void {
  validateModel(model);
  const graph = model.graph!;
  const input = graph.input.find((i) => i.name === manifest.input.name);
  if (!input) {
    const names = graph.input.map((i) => i.name).join(', ') || 'none';
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph has no input "${manifest.input.name}" (it has: ${names}).`, { details: { reason: 'manifest' } });
  }
  const declared = dimsOf(input);
  const wanted = manifest.input.shape as readonly number[];
  if (declared && declared.length === wanted.length && declared.some((d, i) => d > 0 && wanted[i] > 0 && d !== wanted[i])) {
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph's input "${input.name}" is [${declared.map((d) => (d > 0 ? d : '?'))}], the manifest says [${wanted}].`, {
      details: { reason: 'manifest', declared, manifest: wanted },
    });
  }
  if (manifest.task !== 'classification') return;
  const outName = manifest.output?.name;
  const output = outName ? graph.output.find((o) => o.name === outName) : graph.output[0];
  if (outName && !output) {
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph has no output "${outName}" (it has: ${graph.output.map((o) => o.name).join(', ') || 'none'}).`, { details: { reason: 'manifest' } });
  }
  const classes = output ? dimsOf(output)?.at(-1) : undefined;
  if (classes !== undefined && classes > 0 && classes !== manifest.labels.length) {
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph's output "${output!.name}" has ${classes} classes, the manifest lists ${manifest.labels.length} labels.`, {
      details: { reason: 'manifest', classes, labels: manifest.labels.length },
    });
  }
}

/** Declared dims (0 where dynamic), or undefined when the graph declares no shape. */
function dimsOf(v: OnnxValueInfo): number[] | undefined {
  return v.type?.tensorType?.shape?.dim.map((d) => d.dimValue ?? 0);
}
