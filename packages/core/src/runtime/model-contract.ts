/**
 * What `load()` checks before choosing a backend: the graph is valid on its own (onnx/validate-model.ts) and agrees
 * with its manifest (input name and fixed sizes; the class count of a classifier's output, or of a detection head's
 * where the graph fixes it, against the labels), so every backend rejects the same models with INVALID_MODEL and the
 * reason.
 */
import { ModelLoadError } from '../errors.js';
import type { OnnxModel, OnnxValueInfo } from '../onnx/index.js';
import { validateModel } from '../onnx/validate-model.js';
import type { DetectionHead, ModelManifest } from '../package/manifest-types.js';

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
  if (manifest.task === 'classification') {
    const outName = manifest.output?.name;
    checkClasses(graph.output, outName, (dims) => dims.at(-1), manifest.labels.length);
  } else if (manifest.task === 'detection' && manifest.detection) {
    const site = classSite(manifest.detection.head);
    // A wrong label count would only show at inference, and then only when a class past the labels scores high.
    if (site) checkClasses(graph.output, site.output, site.classes, manifest.labels.length);
  }
}

/** Where a detection head's class count sits, for the heads whose graph can declare it (not torchvision: class ids). */
function classSite(head: DetectionHead): { output: string; classes: (dims: number[]) => number | undefined } | undefined {
  switch (head?.format) {
    case 'centernet': // heatmap [N, C, h, w]
      return { output: head.heatmap, classes: (d) => (d.length === 4 ? d[1] : undefined) };
    case 'boxes-scores': // scores [N, K, C]; with a classes output, scores are [N, K] and say nothing
      return head.classes ? undefined : { output: head.scores, classes: (d) => (d.length === 3 ? d[2] : undefined) };
    case 'detr': // logits [N, Q, C + 1], the last class "no object"
      return { output: head.logits, classes: (d) => (d.length === 3 && d[2] > 0 ? d[2] - 1 : undefined) };
    default:
      return undefined;
  }
}

/** INVALID_MODEL when output `name` (default: the first) is missing, or its class dimension is fixed and not `labels`. */
function checkClasses(outputs: OnnxValueInfo[], name: string | undefined, classesOf: (dims: number[]) => number | undefined, labels: number): void {
  const output = name ? outputs.find((o) => o.name === name) : outputs[0];
  if (name && !output) {
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph has no output "${name}" (it has: ${outputs.map((o) => o.name).join(', ') || 'none'}).`, { details: { reason: 'manifest' } });
  }
  const dims = output ? dimsOf(output) : undefined;
  const classes = dims ? classesOf(dims) : undefined;
  if (classes !== undefined && classes > 0 && classes !== labels) {
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph's output "${output!.name}" has ${classes} classes, the manifest lists ${labels} labels.`, {
      details: { reason: 'manifest', classes, labels },
    });
  }
}

/** Declared dims (0 where dynamic), or undefined when the graph declares no shape. */
function dimsOf(v: OnnxValueInfo): number[] | undefined {
  return v.type?.tensorType?.shape?.dim.map((d) => d.dimValue ?? 0);
}
