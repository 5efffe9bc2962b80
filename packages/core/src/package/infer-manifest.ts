/**
 * A model manifest for an ONNX graph that came without one: input name, rank and static sizes, outputs, detection head
 * and quantization format read from the graph; preprocessing from a preset or the caller (or a Hugging Face
 * `preprocessor_config.json`); labels from the caller (or `config.json`'s `id2label`).
 */
import { ModelLoadError } from '../errors.js';
import { DataType, type OnnxModel, type OnnxValueInfo } from '../onnx/index.js';
import { inputPreset, type InputPresetName } from './input-presets.js';
import { validateManifest } from './manifest.js';
import type { DetectionHead, DetectionSpec, InputSpec, ModelManifest, ModelTask, QuantizationInfo } from './manifest-types.js';

/** Fields of the input spec a caller may set (the graph names the input; the layout is always NCHW). */
export type InputOverrides = Partial<Omit<InputSpec, 'name' | 'layout'>>;

/** Detection settings a caller may set; the head is read from the graph when not given. */
export type DetectionOverrides = Partial<Omit<DetectionSpec, 'head'>> & { head?: DetectionHead };

/** One graph input or output as far as the manifest cares. */
export interface GraphValue {
  name: string;
  /** Static sizes; `undefined` for symbolic dimensions. */
  dims: Array<number | undefined>;
  elemType: number | undefined;
  /** Op that produces it (outputs only). */
  producer?: string;
}

/**
 * The graph's image input (its first input that is not an initializer) and its outputs.
 *
 * @example
 * ```ts
 * const { input, outputs } = graphValues(decodeModel(bytes));
 * ```
 */
export function graphValues(model: OnnxModel): { input: GraphValue; outputs: GraphValue[] } {
  const g = model.graph;
  if (!g) throw new ModelLoadError('INVALID_MODEL', 'The ONNX file has no graph.');
  const inits = new Set(g.initializer.map((t) => t.name));
  const inputs = g.input.filter((v) => v.name && !inits.has(v.name));
  if (inputs.length === 0) throw new ModelLoadError('INVALID_MODEL', 'The ONNX graph has no input.');
  if (inputs.length > 1) {
    // One image in: a second input (DETR's pixel_mask, a size tensor) would never be fed.
    throw new ModelLoadError('INVALID_MODEL', `The ONNX graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); only graphs with one image input are supported.`, {
      details: { inputs: inputs.map((v) => v.name) },
    });
  }
  const producers = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n.opType ?? ''] as const)));
  const value = (v: OnnxValueInfo, producer?: string): GraphValue => ({
    name: v.name ?? '',
    dims: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue && d.dimValue > 0 ? d.dimValue : undefined)),
    elemType: v.type?.tensorType?.elemType,
    ...(producer ? { producer } : {}),
  });
  return { input: value(inputs[0]), outputs: g.output.map((o) => value(o, producers.get(o.name ?? ''))) };
}

/**
 * The quantization format of a graph, from its operators.
 *
 * @example
 * ```ts
 * quantizationFormat(decodeModel(bytes)); // 'qdq'
 * ```
 */
export function quantizationFormat(model: OnnxModel): QuantizationInfo['format'] {
  const ops = new Set((model.graph?.node ?? []).map((n) => n.opType));
  if (ops.has('DynamicQuantizeLinear') || ops.has('ConvInteger') || ops.has('MatMulInteger')) return 'dynamic';
  if (ops.has('QLinearConv') || ops.has('QLinearMatMul')) return 'qoperator';
  if (ops.has('QuantizeLinear') || ops.has('DequantizeLinear')) return 'qdq';
  return 'none';
}

const isFloat = (v: GraphValue) => v.elemType === DataType.FLOAT || v.elemType === DataType.FLOAT16 || v.elemType === DataType.DOUBLE;
const isInt = (v: GraphValue) => v.elemType === DataType.INT64 || v.elemType === DataType.INT32;

/**
 * The detection head a graph's outputs match: `detr` (logits [N,Q,C+1] + pred_boxes [N,Q,4]) or `torchvision`
 * (boxes [K,4] float, labels [K] integer, scores [K] float); `undefined` for anything else.
 *
 * @example
 * ```ts
 * inferHead(graphValues(model).outputs); // { format: 'torchvision', boxes: 'boxes', labels: 'labels', scores: 'scores' }
 * ```
 */
export function inferHead(outputs: GraphValue[]): DetectionHead | undefined {
  const byName = (n: string) => outputs.find((o) => o.name === n);
  const logits = byName('logits');
  const predBoxes = byName('pred_boxes');
  if (logits && predBoxes && logits.dims.length === 3 && predBoxes.dims.length === 3) {
    return { format: 'detr', logits: logits.name, boxes: predBoxes.name };
  }
  const boxes = outputs.filter((o) => isFloat(o) && o.dims.length === 2 && (o.dims[1] === 4 || o.dims[1] === undefined));
  const labels = outputs.filter((o) => isInt(o) && o.dims.length === 1);
  const scores = outputs.filter((o) => isFloat(o) && o.dims.length === 1);
  if (boxes.length === 1 && labels.length === 1 && scores.length === 1) {
    return { format: 'torchvision', boxes: boxes[0].name, labels: labels[0].name, scores: scores[0].name };
  }
  return undefined;
}

function bad(message: string, details?: Record<string, unknown>): never {
  throw new ModelLoadError('INVALID_ARGUMENT', message, details ? { details } : undefined);
}

/** Options of {@link inferManifest}. */
export interface InferManifestOptions {
  model: OnnxModel;
  /** The model file: its path relative to where the manifest would live, size and sha256. */
  file: { path: string; bytes: number; sha256: string };
  id: string;
  name?: string;
  /** Class names in output order (required: from the caller or `id2label`). */
  labels?: readonly string[];
  /** A task the source declares (HF `architectures`); otherwise detection when the outputs match a head. */
  task?: ModelTask;
  preset?: InputPresetName;
  input?: InputOverrides;
  detection?: DetectionOverrides;
  provenance?: Record<string, unknown>;
}

/**
 * Builds and validates a manifest for `model`. Errors: `INVALID_ARGUMENT` when preprocessing or labels are missing or
 * disagree with the graph, `INVALID_MODEL` for graphs without an image input.
 *
 * @example
 * ```ts
 * const manifest = inferManifest({ model: decodeModel(bytes), file: { path: 'model.onnx', bytes: bytes.length, sha256 },
 *   id: 'resnet18', labels, preset: 'imagenet' });
 * ```
 */
export function inferManifest(o: InferManifestOptions): ModelManifest {
  const { input: graphInput, outputs } = graphValues(o.model);
  const head = o.detection?.head ?? (o.task === 'classification' ? undefined : inferHead(outputs));
  const task: ModelTask = o.task ?? (head || o.detection ? 'detection' : 'classification');
  if (task === 'detection' && !head) {
    bad(`The graph's outputs (${outputs.map((x) => x.name).join(', ')}) match no known detection head; pass detection: { head: { format, ... } }.`);
  }
  const input = inputSpec({ graphInput, head, preset: o.preset, overrides: o.input });
  const labels = o.labels ? [...o.labels] : undefined;
  if (!labels || labels.length === 0 || !labels.every((l) => typeof l === 'string')) {
    bad('Pass labels: an array of class names in output order (an ONNX file alone does not name its classes).');
  }
  const manifest: ModelManifest = {
    schemaVersion: 1,
    id: o.id,
    ...(o.name ? { name: o.name } : {}),
    task,
    labels,
    input,
    ...(task === 'classification' ? { output: classificationOutput(outputs, labels.length) } : {}),
    ...(task === 'detection' ? { detection: detectionSpec(head!, o.detection, outputs, labels.length) } : {}),
    quantization: { format: quantizationFormat(o.model) },
    files: [{ path: o.file.path, role: 'model', bytes: o.file.bytes, sha256: o.file.sha256 }],
    ...(o.provenance ? { provenance: o.provenance } : {}),
  };
  return validateManifest(manifest);
}

function inputSpec(o: { graphInput: GraphValue; head: DetectionHead | undefined; preset?: InputPresetName; overrides?: InputOverrides }): InputSpec {
  const { graphInput: gi, overrides: v = {} } = o;
  const presetName = o.preset ?? (o.head?.format === 'torchvision' ? 'torchvision-detection' : o.head?.format === 'detr' ? 'detr' : undefined);
  const complete = v.channels && v.resize && v.scale !== undefined && v.mean && v.std;
  if (!presetName && !complete) {
    bad("Say how images are preprocessed for this model: preprocess: 'imagenet' (or another preset), or input: { channels, resize, scale, mean, std }.");
  }
  const base = presetName ? inputPreset(presetName) : undefined;
  const spec: InputSpec = { ...(base as InputSpec), ...v, resize: { ...base?.resize, ...v.resize } as InputSpec['resize'], name: gi.name, layout: 'NCHW' } as InputSpec;
  // torchvision detectors take one image [C,H,W]; everything else a batch [N,C,H,W].
  const rank3 = o.head?.format === 'torchvision';
  const dims = rank3 ? [1, ...gi.dims] : gi.dims;
  if (gi.dims.length !== (rank3 ? 3 : 4)) {
    throw new ModelLoadError('INVALID_MODEL', `The graph input "${gi.name}" has rank ${gi.dims.length}; expected ${rank3 ? '[C, H, W] (torchvision detection)' : '[N, C, H, W]'}.`);
  }
  const [gn, gc, gh, gw] = dims;
  const c = spec.channels === 'grayscale' ? 1 : 3;
  if (gc !== undefined && gc !== c) bad(`The graph input "${gi.name}" has ${gc} channels; the preprocessing gives ${c} (${spec.channels}).`);
  const given = v.shape;
  let h = spec.shape?.[2];
  let w = spec.shape?.[3];
  if (gh !== undefined && gw !== undefined) {
    if (given && (given[2] !== gh || given[3] !== gw)) bad(`input.shape says ${given[2]}x${given[3]} but the graph input is ${gh}x${gw}.`);
    if (base && !given && base.resize.mode === 'shorter-side-crop' && base.resize.shorterSide && (gh !== h || gw !== w)) {
      // Keep the preset's resize-to-crop ratio (256/224) at the graph's size.
      spec.resize = { ...spec.resize, shorterSide: Math.round((Math.min(gh, gw) * base.resize.shorterSide) / base.shape[2]) };
    }
    h = gh;
    w = gw;
  }
  if (!(Number.isInteger(h) && Number.isInteger(w) && h! > 0 && w! > 0)) bad(`The graph input "${gi.name}" has no fixed size; pass input: { shape: [1, ${c}, H, W] }.`);
  spec.shape = [gn ?? -1, c, h!, w!];
  if (spec.resize.mode !== 'shorter-side-crop') delete spec.resize.shorterSide;
  return spec;
}

function classificationOutput(outputs: GraphValue[], classes: number): NonNullable<ModelManifest['output']> {
  const out = outputs.length === 1 ? outputs[0] : (outputs.find((x) => x.dims[x.dims.length - 1] === classes) ?? outputs[0]);
  if (!out) throw new ModelLoadError('INVALID_MODEL', 'The ONNX graph has no output.');
  const n = out.dims[out.dims.length - 1];
  if (n !== undefined && n !== classes) bad(`There are ${classes} labels but the graph output "${out.name}" has ${n} classes.`, { labels: classes, classes: n });
  return { name: out.name, kind: out.producer === 'Softmax' ? 'probabilities' : 'logits' };
}

function detectionSpec(head: DetectionHead, v: DetectionOverrides | undefined, outputs: GraphValue[], classes: number): DetectionSpec {
  if (head.format === 'detr') {
    const n = outputs.find((x) => x.name === head.logits)?.dims[2];
    if (n !== undefined && n !== classes + 1) {
      bad(`DETR logits have ${n} classes (the last is "no object"), so ${n - 1} labels are needed; got ${classes}.`, { labels: classes, classes: n - 1 });
    }
  }
  return {
    head,
    scoreThreshold: v?.scoreThreshold ?? 0.5,
    // DETR has no NMS (one query per object); torchvision graphs already ran per-class NMS at 0.5.
    iouThreshold: v?.iouThreshold ?? (head.format === 'detr' ? 1 : 0.5),
    maxDetections: v?.maxDetections ?? 100,
    nms: v?.nms ?? 'per-class',
  };
}
