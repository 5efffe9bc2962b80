/** Validation of model package manifests (`model.json`). Hand-written so messages name the exact field at fault. */
import { ModelLoadError } from '../errors.js';
import type { ModelManifest } from './manifest-types.js';

type Check = (v: unknown) => string | null;

/** Output-name fields of each detection head format. */
const HEAD_OUTPUTS: Record<string, string[]> = {
  centernet: ['heatmap', 'size', 'offset'],
  'boxes-scores': ['boxes', 'scores'],
  torchvision: ['boxes', 'labels', 'scores'],
  detr: ['logits', 'boxes'],
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');
const posInt: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : 'must be a positive integer');
const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number');
// Thresholds: what detect() accepts per call (tasks/nms.ts), so a manifest default never fails there instead.
const unit: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be a number from 0 to 1');
const oneOf = (...xs: string[]): Check => (v) => (xs.includes(v as string) ? null : `must be one of ${xs.map((x) => `"${x}"`).join(', ')}`);
const numArray = (len?: number): Check => (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && (len === undefined || v.length === len)
    ? null
    : `must be an array of ${len ?? ''} finite numbers`.replace('  ', ' ');

/**
 * Validates a parsed `model.json` and returns it typed, or throws `INVALID_MANIFEST` listing every problem.
 *
 * @example
 * ```ts
 * const manifest = validateManifest(JSON.parse(text));
 * console.log(manifest.labels.length);
 * ```
 */
export function validateManifest(value: unknown): ModelManifest {
  const errors: string[] = [];
  const at = (path: string, v: unknown, check: Check) => {
    const msg = check(v);
    if (msg) errors.push(`${path} ${msg}`);
  };
  if (!isObj(value)) throw new ModelLoadError('INVALID_MANIFEST', 'Manifest must be a JSON object.');
  const m = value;
  at('schemaVersion', m.schemaVersion, (v) => (v === 1 ? null : 'must be 1'));
  at('id', m.id, (v) => (typeof v === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(v) ? null : 'must be a lowercase id ([a-z0-9._-])'));
  at('task', m.task, oneOf('classification', 'detection'));
  at('labels', m.labels, (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? null : 'must be a non-empty array of strings'));

  const input = m.input;
  if (!isObj(input)) errors.push('input must be an object');
  else {
    at('input.name', input.name, str);
    at('input.shape', input.shape, (v) =>
      Array.isArray(v) && v.length === 4 && v.every((d, i) => Number.isInteger(d) && (d > 0 || (i === 0 && d === -1)))
        ? null
        : 'must be [N, C, H, W] with positive integers (N may be -1)');
    at('input.layout', input.layout, oneOf('NCHW'));
    at('input.channels', input.channels, oneOf('rgb', 'bgr', 'grayscale'));
    at('input.scale', input.scale, finite);
    const c = Array.isArray(input.shape) ? (input.shape[1] as number) : undefined;
    at('input.mean', input.mean, numArray(c));
    at('input.std', input.std, (v) => numArray(c)(v) ?? ((v as number[]).some((x) => x === 0) ? 'must not contain 0' : null));
    if (c !== undefined && input.channels === 'grayscale' && c !== 1) errors.push('input.shape[1] must be 1 for grayscale');
    if (c !== undefined && input.channels !== 'grayscale' && c !== 3) errors.push('input.shape[1] must be 3 for rgb/bgr');
    const r = input.resize;
    if (!isObj(r)) errors.push('input.resize must be an object');
    else {
      at('input.resize.mode', r.mode, oneOf('stretch', 'shorter-side-crop', 'letterbox'));
      at('input.resize.filter', r.filter, oneOf('bilinear', 'nearest', 'bicubic', 'lanczos', 'box', 'hamming'));
      if (r.cropRounding !== undefined) at('input.resize.cropRounding', r.cropRounding, oneOf('half-even', 'floor'));
      if (r.mode === 'shorter-side-crop') at('input.resize.shorterSide', r.shorterSide, posInt);
    }
  }

  if (m.task === 'classification' && m.output !== undefined) {
    if (!isObj(m.output)) errors.push('output must be an object');
    else {
      at('output.name', m.output.name, str);
      at('output.kind', m.output.kind, oneOf('logits', 'probabilities'));
    }
  }
  if (m.task === 'detection') {
    const d = m.detection;
    if (!isObj(d)) errors.push('detection must be an object for task "detection"');
    else {
      const h = d.head;
      if (!isObj(h)) errors.push('detection.head must be an object');
      else {
        at('detection.head.format', h.format, oneOf('centernet', 'boxes-scores', 'torchvision', 'detr'));
        const names = HEAD_OUTPUTS[h.format as string] ?? [];
        for (const n of names) at(`detection.head.${n}`, h[n], str);
        if (h.format === 'centernet') at('detection.head.stride', h.stride, posInt);
        if (h.format === 'boxes-scores') at('detection.head.boxFormat', h.boxFormat, oneOf('xyxy', 'xywh', 'cxcywh'));
      }
      at('detection.scoreThreshold', d.scoreThreshold, unit);
      at('detection.iouThreshold', d.iouThreshold, unit);
      at('detection.maxDetections', d.maxDetections, posInt);
      if (d.nms !== undefined) at('detection.nms', d.nms, oneOf('class-agnostic', 'per-class'));
      if (d.refine !== undefined) checkRefine(d.refine, m.files, errors, at);
    }
  }

  const q = m.quantization;
  if (!isObj(q)) errors.push('quantization must be an object');
  else at('quantization.format', q.format, oneOf('qdq', 'qoperator', 'dynamic', 'none'));

  if (!Array.isArray(m.files) || m.files.length === 0) errors.push('files must be a non-empty array');
  else {
    m.files.forEach((f, i) => {
      if (!isObj(f)) return void errors.push(`files[${i}] must be an object`);
      at(`files[${i}].path`, f.path, (v) =>
        typeof v === 'string' && v.length > 0 && !v.includes('..') && !v.startsWith('/') ? null : 'must be a relative path without ".."');
      at(`files[${i}].role`, f.role, oneOf('model', 'model-fp32', 'part', 'refine', 'refine-fp32', 'other'));
      at(`files[${i}].bytes`, f.bytes, posInt);
      at(`files[${i}].sha256`, f.sha256, (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? null : 'must be 64 lowercase hex digits'));
    });
    const roles = (m.files as Array<{ role?: string }>).map((f) => f?.role);
    if (!roles.includes('model') && !roles.includes('part')) errors.push('files must contain a "model" entry (or "part" entries)');
    const refine = m.task === 'detection' && isObj(m.detection) && m.detection.refine !== undefined;
    if (roles.includes('refine') && !refine) errors.push('a files entry with role "refine" needs detection.refine');
  }

  if (errors.length) {
    throw new ModelLoadError('INVALID_MANIFEST', `Invalid model manifest${typeof m.id === 'string' ? ` "${m.id}"` : ''}: ${errors.join('; ')}.`, {
      details: { errors },
    });
  }
  return m as unknown as ModelManifest;
}

function checkRefine(r: unknown, files: unknown, errors: string[], at: (path: string, v: unknown, check: Check) => void): void {
  if (!isObj(r)) return void errors.push('detection.refine must be an object');
  at('detection.refine.input', r.input, str);
  at('detection.refine.output', r.output, str);
  at('detection.refine.size', r.size, (v) => posInt(v) ?? ((v as number) > 512 ? 'must be <= 512' : null));
  const positive: Check = (v) => finite(v) ?? ((v as number) > 0 ? null : 'must be > 0');
  at('detection.refine.context', r.context, positive);
  at('detection.refine.minSide', r.minSide, positive);
  at('detection.refine.eps', r.eps, positive);
  if (r.detectorWeight !== undefined) at('detection.refine.detectorWeight', r.detectorWeight, (v) => finite(v) ?? ((v as number) >= 0 ? null : 'must be >= 0'));
  const n = Array.isArray(files) ? files.filter((f) => isObj(f) && f.role === 'refine').length : 0;
  if (n !== 1) errors.push(`detection.refine needs exactly one files entry with role "refine" (found ${n})`);
}

/**
 * The manifest's input as fixed shapes for compiling a plan (dynamic dims, written as -1 or 0, become 1).
 *
 * @example
 * ```ts
 * manifestInputShapes(manifest); // { input: [1, 1, 28, 28] }
 * ```
 */
export function manifestInputShapes(manifest: Pick<ModelManifest, 'input'> | undefined): Record<string, number[]> | undefined {
  const shape = manifest?.input?.shape;
  const name = manifest?.input?.name;
  return shape && name ? { [name]: shape.map((d) => (d > 0 ? d : 1)) } : undefined;
}
