import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../../package/manifest-types.js';
import { decodeModel } from '../../../onnx/index.js';
import { compilePlan } from '../../plan/compile-plan.js';
import { gpuQLayout, packNchw, unpackNhwc } from '../../webgpu/layout.js';
import { opInputs, opOutputs } from '../../plan/inspect.js';
import { splitPlan } from './split-plan.js';

const dir = fileURLToPath(new URL('../../../../../../models/fmnist-resnet20/', import.meta.url));

describe('webgpu plan split and buffer reuse', () => {
  it('default model: input quantize on the host, every int8 op on the GPU, buffers reused without overlap', () => {
    const manifest = JSON.parse(readFileSync(`${dir}model.json`, 'utf8')) as ModelManifest;
    const bytes = new Uint8Array(readFileSync(`${dir}${manifest.files.find((f) => f.role === 'model')!.path}`));
    const plan = compilePlan({ model: decodeModel(bytes), inputShapes: { input: [2, 1, 28, 28] } });
    const split = splitPlan(plan);
    expect(split.pre.map((o) => o.op)).toEqual(['quantize']);
    expect(split.gpu.length).toBe(plan.ops.filter((o) => o.op !== 'quantize' && o.op !== 'reshape').length);
    expect(split.readbacks).toEqual([plan.outputs[0].tensor]);
    expect(split.uploads).toHaveLength(1);
    const gpuTensors = new Set([...split.uploads, ...split.gpu.flatMap((g) => opOutputs(g.op))]);
    expect(split.slotBytes.length).toBeLessThan(gpuTensors.size / 2);
    // No two tensors that are alive at the same time share a slot.
    const def = new Map<number, number>(split.uploads.map((id) => [id, -1]));
    split.gpu.forEach((g) => opOutputs(g.op).forEach((o) => def.set(o, g.index)));
    const last = new Map<number, number>();
    plan.ops.forEach((op, i) => opInputs(op).forEach((id) => last.set(id, i)));
    for (const o of plan.outputs) last.set(o.tensor, plan.ops.length);
    const ids = [...def.keys()];
    for (const a of ids) for (const b of ids) {
      if (a >= b || split.slotOf.get(a) !== split.slotOf.get(b)) continue;
      const overlap = def.get(a)! <= (last.get(b) ?? def.get(b)!) && def.get(b)! <= (last.get(a) ?? def.get(a)!);
      expect({ a, b, overlap }).toEqual({ a, b, overlap: false });
    }
  });

  it('packs NCHW into NHWC words and back (channels padded to 4)', () => {
    const l = gpuQLayout([2, 5, 3, 2]);
    expect(l).toMatchObject({ Cw: 2, bytes: 2 * 3 * 2 * 8 });
    const x = Int8Array.from({ length: 60 }, (_, i) => i - 30);
    expect(Array.from(unpackNhwc(l, packNchw(l, x), false))).toEqual(Array.from(x));
    expect(Array.from(unpackNhwc(l, packNchw(l, x), true))).toEqual(Array.from(x, (v) => v + 128));
  });
});
