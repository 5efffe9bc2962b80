/**
 * Checks calibration samples before they reach onnxruntime: each must be a float32 tensor (or feeds by input name)
 * whose data fills its dims and whose dims fit the model's declared input shape, holding finite values only. The
 * errors name the sample's index, so one bad item in a large set can be found. onnxruntime would otherwise throw a
 * plain Error for a size mismatch, and NaN/Infinity would silently turn every range into [0, 0] (scale 1).
 */
import { ResNetEdgeError } from '../errors.js';
import type { OnnxGraph } from '../onnx/index.js';
import { firstNonFinite, isFloatTensor, sizeOf, type Tensor } from '../tensor.js';

/** A graph input fed during calibration: its name and declared dims (`undefined` where symbolic or unknown). */
export interface FedInput {
  name: string;
  /** Absent when the graph declares no shape. */
  dims?: (number | undefined)[];
}

/**
 * The graph inputs calibration feeds, with their declared shapes.
 *
 * @example
 * ```ts
 * fedInputs(model.graph!); // [{ name: 'input', dims: [undefined, 3, 224, 224] }]
 * ```
 */
export function fedInputs(g: OnnxGraph): FedInput[] {
  return g.input.map((v) => {
    const shape = v.type?.tensorType?.shape;
    const dims = shape?.dim.map((d) => (d.dimValue && d.dimValue > 0 ? d.dimValue : undefined));
    return dims ? { name: v.name ?? '', dims } : { name: v.name ?? '' };
  });
}

const tensorHint = '{ data: Float32Array, dims: number[] }';

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'object' ? `an object with keys ${Object.keys(v).join(', ') || '(none)'}` : `${typeof v} ${String(v)}`;
}

const looksLikeTensor = (v: unknown): boolean => !!v && typeof v === 'object' && 'data' in v && 'dims' in v;

/**
 * Validates calibration sample number `index` and returns its feeds by input name. A bare tensor is accepted for
 * single-input models.
 *
 * @throws ResNetEdgeError `INVALID_ARGUMENT` (not a tensor or feeds object, an input missing) or `INVALID_TENSOR`
 *   (not float32, data length that does not match dims, dims that do not fit the model, NaN or ±Infinity).
 * @example
 * ```ts
 * const feeds = checkSample({ data: new Float32Array(784), dims: [1, 1, 28, 28] }, 0, fedInputs(g)); // { input: ... }
 * ```
 */
export function checkSample(item: unknown, index: number, inputs: readonly FedInput[]): Record<string, Tensor> {
  const where = `calibration sample ${index}`;
  function invalid(code: 'INVALID_ARGUMENT' | 'INVALID_TENSOR', message: string, details: Record<string, unknown> = {}): never {
    throw new ResNetEdgeError(code, message, { details: { sample: index, ...details } });
  }
  let feeds: Record<string, unknown>;
  if (isFloatTensor(item)) {
    if (inputs.length !== 1) {
      invalid('INVALID_ARGUMENT', `${where} is one tensor, but the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}): give each sample as an object of tensors by input name`);
    }
    feeds = { [inputs[0].name]: item };
  } else if (looksLikeTensor(item) && inputs.length === 1) {
    // { data: number[] | Int8Array, dims }: a tensor of the wrong type, not feeds missing their input.
    feeds = { [inputs[0].name]: item };
  } else if (item && typeof item === 'object' && !Array.isArray(item) && !ArrayBuffer.isView(item)) {
    feeds = item as Record<string, unknown>;
  } else {
    return invalid('INVALID_ARGUMENT', `${where} must be a float32 tensor ${tensorHint} or an object of them by input name; got ${describe(item)}`);
  }
  for (const { name, dims: declared } of inputs) {
    const t = feeds[name];
    const what = inputs.length > 1 ? `${where}, input "${name}"` : where;
    if (t === undefined) invalid('INVALID_ARGUMENT', `${where} is missing input "${name}" (it has ${Object.keys(feeds).join(', ') || 'no keys'})`, { input: name });
    if (!isFloatTensor(t)) invalid('INVALID_TENSOR', `${what} must be a float32 tensor ${tensorHint}; got ${describe(t)}`, { input: name });
    const dims = [...t.dims];
    if (!dims.every((d) => Number.isInteger(d) && d > 0)) invalid('INVALID_TENSOR', `${what} has dims [${dims.join(', ')}]; each must be a positive integer`, { input: name, dims });
    const expected = sizeOf(dims);
    if (t.data.length !== expected) {
      invalid('INVALID_TENSOR', `${what} has ${t.data.length} values, but its dims [${dims.join(', ')}] need ${expected}`, { input: name, dims, expected, actual: t.data.length });
    }
    if (declared && (declared.length !== dims.length || declared.some((d, i) => d !== undefined && d !== dims[i]))) {
      const want = declared.map((d) => d ?? '?').join(', ');
      invalid('INVALID_TENSOR', `${what} has dims [${dims.join(', ')}], but the model's input "${name}" is [${want}]`, { input: name, dims, modelDims: declared.map((d) => d ?? null) });
    }
    // Non-finite values would be dropped from every range, leaving [0, 0] (scale 1) where only NaN was seen.
    const bad = firstNonFinite(t.data);
    if (bad >= 0) invalid('INVALID_TENSOR', `${what} holds a non-finite value (${t.data[bad]}) at index ${bad}; calibration needs finite values`, { input: name, index: bad });
  }
  return feeds as Record<string, Tensor>;
}
