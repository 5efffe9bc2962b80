/**
 * Seeded generators of damaged models for the fuzz tier, from the shipped models (int8 and fp32 classifier, int8
 * detector): protobuf damage (byte flips, truncation, deleted or repeated ranges), attribute damage (extreme or
 * invalid values of existing attributes, unexpected attributes), NaN/Inf/huge parameters, declared-shape and
 * initializer-dims damage, graph structure damage (op types, dangling inputs, removed nodes, renamed outputs) and
 * version damage. Every case is rebuilt from its id.
 *
 * Grow the corpus by raising a count in MODEL_KINDS or adding a kind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttributeType, DataType, decodeModel, encodeModel, makeAttr, type OnnxAttribute, type OnnxModel } from '../../packages/core/src/onnx/index.js';
import type { ModelBase } from '../../packages/core/src/testing/hostile-models.js';
import type { Rng } from './rng.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The shipped models the cases start from. */
export const MODEL_BASES: ModelBase[] = [
  { id: 'fmnist-resnet20', file: 'model.int8.onnx' },
  { id: 'fmnist-resnet20', file: 'model.int8.onnx' },
  { id: 'fmnist-resnet20', file: 'model.int8.onnx' },
  { id: 'fmnist-resnet20', file: 'model.fp32.onnx' },
  { id: 'fmnist-scenes-centernet', file: 'model.int8.onnx' },
];

const cache = new Map<string, Uint8Array>();
/** The bytes of a base model (read once per process). */
export function baseBytes(b: ModelBase): Uint8Array {
  const key = `${b.id}/${b.file}`;
  let bytes = cache.get(key);
  if (!bytes) cache.set(key, (bytes = new Uint8Array(readFileSync(join(ROOT, 'models', key)))));
  return bytes;
}

const INTS = [0, -1, 1, 2, 3, 99, -99, 4096, 1e6, 2 ** 31 - 1, -(2 ** 31), 2 ** 53];
const FLOATS = [NaN, Infinity, -Infinity, 0, -1, 1e38, -1e38, 1e-45];
const ATTR_NAMES = ['kernel_shape', 'strides', 'pads', 'dilations', 'group', 'axis', 'alpha', 'beta', 'transB', 'epsilon', 'auto_pad', 'mode', 'perm', 'axes', 'ceil_mode'];

/** A random value of an attribute's kind (ints, floats or a string). */
function randomAttr(r: Rng, name: string, type: number): OnnxAttribute {
  if (type === AttributeType.FLOAT) return makeAttr(name, r.pick(FLOATS), 'float');
  if (type === AttributeType.FLOATS) return makeAttr(name, Array.from({ length: r.int(0, 5) }, () => r.pick(FLOATS)), 'float');
  if (type === AttributeType.STRING) return makeAttr(name, r.pick(['', 'bogus', 'SAME_UPPER', 'VALID', 'nearest', 'x'.repeat(300)]));
  if (type === AttributeType.INTS) return makeAttr(name, Array.from({ length: r.int(0, 6) }, () => r.pick(INTS)));
  return makeAttr(name, r.pick(INTS));
}

type Gen = (r: Rng, m: OnnxModel) => void;

/** Model-level mutations (decode, change, encode). */
const DECODED: Record<string, { count: number; mutate: Gen }> = {
  attribute: {
    count: 40,
    mutate: (r, m) => {
      const nodes = m.graph!.node;
      const n = r.pick(nodes.filter((x) => x.attribute.length) .concat(r.chance(0.3) ? nodes : []));
      if (n.attribute.length && r.chance(0.8)) {
        const i = r.int(0, n.attribute.length - 1);
        n.attribute[i] = randomAttr(r, n.attribute[i].name ?? '', n.attribute[i].type ?? AttributeType.INT);
      } else {
        const name = r.pick(ATTR_NAMES);
        n.attribute.push(randomAttr(r, name, r.pick([AttributeType.INT, AttributeType.INTS, AttributeType.FLOAT, AttributeType.STRING])));
      }
    },
  },
  'nan-param': {
    count: 20,
    mutate: (r, m) => {
      const floats = m.graph!.initializer.filter((t) => t.dataType === DataType.FLOAT && t.rawData && t.rawData.length >= 4);
      const t = r.pick(floats);
      const v = new Float32Array(t.rawData!.slice().buffer);
      for (let k = r.int(1, Math.min(4, v.length)); k > 0; k--) v[r.int(0, v.length - 1)] = r.pick(FLOATS);
      t.rawData = new Uint8Array(v.buffer);
    },
  },
  shape: {
    count: 20,
    mutate: (r, m) => {
      const g = m.graph!;
      if (r.chance(0.5)) {
        const io = r.pick([...g.input, ...g.output]);
        const dims = io.type?.tensorType?.shape?.dim;
        if (dims?.length) dims[r.int(0, dims.length - 1)] = r.chance(0.2) ? { dimParam: 'x' } : { dimValue: r.pick([0, 1, 2, 3, 1e9, 2 ** 31 - 1, 99]) };
      } else {
        const t = r.pick(g.initializer);
        if (t.dims.length) t.dims[r.int(0, t.dims.length - 1)] = r.pick([0, 1, 2, 3, 1e6, 2 ** 31]);
        else t.dims.push(r.pick([0, 2, 1e6]));
      }
    },
  },
  structure: {
    count: 25,
    mutate: (r, m) => {
      const g = m.graph!;
      const n = r.pick(g.node);
      const names = g.node.flatMap((x) => x.output);
      const op = r.int(0, 5);
      if (op === 0) n.opType = r.pick([...new Set(g.node.map((x) => x.opType ?? ''))].concat(['Bogus', '', 'If', 'Loop']));
      else if (op === 1 && n.input.length) n.input[r.int(0, n.input.length - 1)] = r.chance(0.5) ? 'nowhere' : r.pick(names);
      else if (op === 2) g.node.splice(g.node.indexOf(n), 1);
      else if (op === 3) n.input.reverse();
      else if (op === 4) g.output[r.int(0, g.output.length - 1)].name = r.pick(['', 'nowhere', ...names]);
      else n.domain = r.pick(['com.example', 'ai.onnx.ml', 'com.microsoft']);
    },
  },
  version: {
    count: 10,
    mutate: (r, m) => {
      if (r.chance(0.5)) m.opsetImport[0].version = r.pick([0, 1, 6, 7, 26, 27, 1e9, -1]);
      else m.irVersion = r.pick([0, 1, 3, 13, 14, 100, 2 ** 31]);
    },
  },
};

/** Byte-level damage of the encoded file. */
const RAW: Record<string, { count: number; damage: (r: Rng, b: Uint8Array) => Uint8Array }> = {
  'protobuf-flip': {
    count: 30,
    damage: (r, b) => {
      const out = b.slice();
      for (let k = r.int(1, 8); k > 0; k--) out[r.int(0, out.length - 1)] = r.int(0, 255);
      return out;
    },
  },
  'protobuf-truncate': { count: 15, damage: (r, b) => b.slice(0, r.chance(0.3) ? r.int(0, 256) : r.int(0, b.length - 1)) },
  'protobuf-splice': {
    count: 15,
    damage: (r, b) => {
      const at = r.int(0, b.length - 1), len = r.int(1, 64);
      const parts = r.chance(0.5) ? [b.subarray(0, at), b.subarray(Math.min(b.length, at + len))] : [b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)];
      const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) (out.set(p, o), (o += p.length));
      return out;
    },
  },
};

/** Every model kind: how many cases, and how to build one. */
export const MODEL_KINDS: Record<string, { count: number; make: (r: Rng) => { base: ModelBase; bytes: Uint8Array } }> = {
  ...Object.fromEntries(Object.entries(DECODED).map(([kind, k]) => [kind, {
    count: k.count,
    make: (r: Rng) => {
      const base = r.pick(MODEL_BASES);
      const m = decodeModel(baseBytes(base));
      k.mutate(r, m);
      return { base, bytes: encodeModel(m) };
    },
  }])),
  ...Object.fromEntries(Object.entries(RAW).map(([kind, k]) => [kind, {
    count: k.count,
    make: (r: Rng) => {
      const base = r.pick(MODEL_BASES);
      return { base, bytes: k.damage(r, baseBytes(base)) };
    },
  }])),
};
