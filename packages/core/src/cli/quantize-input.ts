/**
 * The quantize CLI's input preprocessing: from a manifest or a preset plus overrides, checked against the graph's input.
 * There is deliberately no default: calibrating on plain x/255 when the model was trained on mean/std-normalized input
 * produced a model that got 6/20 samples right (20/20 with the right spec).
 */
import { ResNetEdgeError } from '../errors.js';
import type { OnnxModel } from '../onnx/index.js';
import { inputPreset } from '../package/input-presets.js';
import type { InputSpec, ResizePolicy } from '../package/manifest-types.js';

export type PresetName = 'imagenet' | 'fmnist';

/** The presets quantize takes (classifier trainings): the same specs as load()'s (package/input-presets.ts). */
export const INPUT_PRESETS: Readonly<Record<PresetName, InputSpec>> = { imagenet: inputPreset('imagenet'), fmnist: inputPreset('fmnist') };

/** Overrides of a preset's or manifest's input spec, as given on the command line. */
export interface InputOverrides {
  size?: [number, number];
  channels?: InputSpec['channels'];
  mean?: number[];
  std?: number[];
  resize?: ResizePolicy['mode'];
}

/** What the quantize CLI needs to know about the graph's (single) image input and its outputs. */
export interface GraphIo {
  inputName: string;
  /** [N, C, H, W]; `undefined` where the dimension is symbolic. */
  inputDims: Array<number | undefined>;
  outputs: Array<{ name: string; dims: Array<number | undefined>; producer?: string }>;
}

/**
 * Reads the first non-initializer input and the outputs of a decoded model.
 *
 * @example
 * ```ts
 * const io = graphIo(decodeModel(bytes)); // { inputName: 'input', inputDims: [undefined, 3, 224, 224], outputs: [...] }
 * ```
 */
export function graphIo(model: OnnxModel): GraphIo {
  const g = model.graph;
  if (!g) throw new ResNetEdgeError('INVALID_MODEL', 'The ONNX file has no graph.');
  const inits = new Set(g.initializer.map((t) => t.name));
  const input = g.input.find((v) => !inits.has(v.name));
  if (!input?.name) throw new ResNetEdgeError('INVALID_MODEL', 'The ONNX graph has no input.');
  const dimsOf = (v: (typeof g.input)[number]) => (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue && d.dimValue > 0 ? d.dimValue : undefined));
  const producers = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n.opType] as const)));
  return {
    inputName: input.name,
    inputDims: dimsOf(input),
    outputs: g.output.map((o) => ({ name: o.name ?? '', dims: dimsOf(o), producer: producers.get(o.name ?? '') })),
  };
}

function bad(message: string): never {
  throw new ResNetEdgeError('INVALID_ARGUMENT', message);
}

/**
 * Applies command-line overrides to a base spec and checks the result against the graph input: rank 4, channel count,
 * and the static height/width. The batch dimension becomes -1 when the graph's is dynamic.
 *
 * @example
 * ```ts
 * const spec = resolveInputSpec({ base: INPUT_PRESETS.imagenet, overrides: { size: [32, 32] }, graph: graphIo(model) });
 * ```
 */
export function resolveInputSpec(o: { base: InputSpec; overrides: InputOverrides; graph: GraphIo }): InputSpec {
  const { base, overrides: v, graph } = o;
  const channels = v.channels ?? base.channels;
  const c = channels === 'grayscale' ? 1 : 3;
  const [h, w] = v.size ?? [base.shape[2], base.shape[3]];
  const perChannel = (name: 'mean' | 'std', given: number[] | undefined): number[] => {
    const values = given ?? (base[name].length === c ? base[name] : undefined);
    if (!values) bad(`--channels ${channels} needs --${name} with ${c} value${c === 1 ? '' : 's'} (the base spec has ${base[name].length}).`);
    if (values.length === 1) return new Array<number>(c).fill(values[0]);
    if (values.length !== c) bad(`--${name} needs 1 or ${c} values for ${channels} input (got ${values.length}).`);
    return [...values];
  };
  const mean = perChannel('mean', v.mean);
  const std = perChannel('std', v.std);
  if (std.some((s) => !(s > 0))) bad('--std values must be greater than 0.');
  const mode = v.resize ?? base.resize.mode;
  const resize: ResizePolicy = { ...base.resize, mode };
  if (mode === 'shorter-side-crop') {
    // Keep the base's crop ratio (256/224 for ImageNet) when the size changes; a base without one gets that ratio.
    const ratio = base.resize.mode === 'shorter-side-crop' && base.resize.shorterSide ? base.resize.shorterSide / base.shape[2] : 256 / 224;
    resize.shorterSide = Math.round(Math.min(h, w) * ratio);
  } else delete resize.shorterSide;

  const dims = graph.inputDims;
  if (dims.length !== 4) bad(`The model's input "${graph.inputName}" has rank ${dims.length}; only NCHW image inputs can be calibrated from images.`);
  const [, gc, gh, gw] = dims;
  if (gc !== undefined && gc !== c) bad(`The model's input has ${gc} channel${gc === 1 ? '' : 's'}, the spec ${c} (${channels}); pass --channels.`);
  if ((gh !== undefined && gh !== h) || (gw !== undefined && gw !== w)) {
    bad(`The model's input is ${gh ?? '?'}x${gw ?? '?'}, the spec ${h}x${w}; pass --size ${gh === gw ? gh : `${gh}x${gw}`}.`);
  }
  return {
    ...base,
    name: graph.inputName,
    shape: [dims[0] === undefined ? -1 : dims[0], c, h, w],
    channels,
    resize,
    mean,
    std,
  };
}

/**
 * Parses `--size 224` or `--size 224x192` (height x width).
 *
 * @example
 * ```ts
 * parseSize('32');      // [32, 32]
 * parseSize('48x64');   // [48, 64]
 * ```
 */
export function parseSize(value: string): [number, number] {
  const m = /^(\d+)(?:x(\d+))?$/i.exec(value.trim());
  const h = m ? Number(m[1]) : NaN;
  const w = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(h >= 1 && h <= 4096 && w >= 1 && w <= 4096)) bad(`--size must be N or HxW with sides from 1 to 4096 (got "${value}").`);
  return [h, w];
}
