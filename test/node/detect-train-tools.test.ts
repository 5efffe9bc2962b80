/**
 * The detector's training tools, run with Debian's torch (skipped with a warning where it is missing):
 * - models/train/scenes.py regenerates the committed fixtures byte for byte (the style presets must leave the
 *   default generator and the presets' random streams unchanged);
 * - models/train/onnx_init.py rebuilds trainable weights from a BN-folded ONNX export: eval-mode outputs match the
 *   network that was exported, and re-exporting gives back the same conv weights;
 * - models/train/crop_classifier.py --evaluate reloads checkpoints of any --widths and crops clean t10k items;
 * - models/train/crop_data.py builds the same scene pool with any number of workers, its torch crops (the GPU path)
 *   match the NumPy reference, and random erasing touches only the chosen crops;
 * - crop_classifier.py trains through the GPU path on the CPU (torch crops, erasing, epochs fitted to a time budget)
 *   and its ONNX export carries the stage widths, which onnx_init.py reads back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from './detect-fixture.js';

const PY = '/usr/bin/python3';
const trainDir = join(dirname(fileURLToPath(import.meta.url)), '../../models/train');
const hasTorch = spawnSync(PY, ['-c', 'import torch, onnx'], { encoding: 'utf8' }).status === 0;
const hasData = spawnSync(PY, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(trainDir)}); import fmnist; fmnist.load("t10k")`]).status === 0;
if (!hasTorch || !hasData) console.warn(`detect-train-tools.test: skipped, ${PY} lacks torch/onnx or Fashion-MNIST (apt-get install python3-torch python3-onnx dataset-fashion-mnist)`);
const tmp = mkdtempSync(join(tmpdir(), 'detect-train-tools-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const py = (script: string) => {
  const r = spawnSync(PY, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(trainDir)})\n${script}`], { encoding: 'utf8', cwd: tmp });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
};

describe.skipIf(!hasTorch || !hasData)('detector training tools (python)', () => {
  it('scenes.py regenerates the committed fixtures exactly (default style and the bright/textured presets)', () => {
    for (const [name, seed, count, preset] of [
      ['fresh-200', 5001, 20, 'default'],
      ['bright-100', 5002, 20, 'bright'],
      ['textured-100', 5003, 20, 'textured'],
    ] as const) {
      py(`import scenes, json
imgs, boxes = scenes.make_scenes("t10k", ${count}, ${seed}, style=scenes.style_of("${preset}"))
scenes.write_set("${join(tmp, name)}", imgs, boxes, "t10k", ${seed}, "${preset}")
print("{}")`);
      const mine = gunzipSync(readFileSync(join(tmp, `${name}.u8.gz`)));
      const committed = gunzipSync(readFileSync(join(FIXTURE_DIR, `${name}.u8.gz`))).subarray(0, mine.length);
      expect(Buffer.compare(mine, committed), name).toBe(0);
      const a = JSON.parse(readFileSync(join(tmp, `${name}.json`), 'utf8'));
      const b = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8'));
      expect(a.scenes).toEqual(b.scenes.slice(0, count));
      expect(a.source).toBe(b.source);
    }
  }, 120_000);

  it('onnx_init.py rebuilds a BN-folded export: same eval outputs, same weights when exported again', () => {
    const out = py(`import json, torch, onnx_init
from detector_model import CenterNetResNet, export_onnx
torch.manual_seed(0)
src = CenterNetResNet()
for m in src.modules():  # non-trivial BN everywhere, so folding matters
    if isinstance(m, torch.nn.BatchNorm2d):
        m.weight.data.uniform_(0.5, 1.5); m.bias.data.uniform_(-0.2, 0.2)
        m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 2.0)
src.eval()
export_onnx(src, "a.onnx")
calib = torch.rand(8, 1, 96, 96)
dst = onnx_init.load_onnx_weights(CenterNetResNet(), "a.onnx", calib)
dst.eval()
x = torch.rand(2, 1, 96, 96)
with torch.no_grad():
    diff = max(float((a - b).abs().max()) for a, b in zip(src(x), dst(x)))
export_onnx(dst, "b.onnx")
try:
    onnx_init.load_onnx_weights(CenterNetResNet(blocks=(3, 4, 6, 3)), "a.onnx", calib); refused = False
except ValueError:
    refused = True
print(json.dumps({"diff": diff, "weights": onnx_init.max_conv_difference("a.onnx", "b.onnx"), "refused": refused}))`);
    expect(out.diff).toBeLessThan(1e-4);
    expect(out.weights).toBeLessThan(1e-5);
    expect(out.refused).toBe(true);
  }, 120_000);
  it('crop_classifier.py --evaluate: checkpoints of any width reload exactly; clean t10k crops are standardised', () => {
    const out = py(`import json, torch, numpy as np, crop_classifier as cc
from train_classifier import ResNetCifar
res = {}
for widths in [(16, 32, 64), (32, 64, 128), (24, 40, 96)]:
    torch.manual_seed(1)
    m = ResNetCifar(depth=20, widths=widths)
    for p in m.parameters():
        p.data.add_(0.01 * torch.randn_like(p))  # the zero-initialised BNs would hide a wrong load
    m.eval(); torch.save(m.state_dict(), "c.pt")
    x = torch.randn(3, 1, 28, 28)
    with torch.no_grad():
        res[str(widths)] = float((m(x) - cc.load_weights("c.pt")(x)).abs().max())
crops, labels = cc.clean_t10k_crops()
print(json.dumps({"diff": res, "shape": list(crops.shape), "labels": len(labels),
                  "mean": float(np.abs(crops.mean(axis=(1, 2))).max()), "std": float(np.median(crops.std(axis=(1, 2))))}))`);
    for (const d of Object.values(out.diff as Record<string, number>)) expect(d).toBe(0);
    expect(out.shape).toEqual([10000, 28, 28]);
    expect(out.labels).toBe(10000);
    expect(out.mean).toBeLessThan(1e-4);
    expect(out.std).toBeGreaterThan(0.9); // (v - mean) / (std + 0.02): about 1 unless an item is very faint
  }, 120_000);
  it('widen.py: a widened checkpoint computes the same function; crop_classifier.py --init widens a narrower one', () => {
    const out = py(`import json, torch, widen
from train_classifier import ResNetCifar, stage_widths
torch.manual_seed(2)
m = ResNetCifar(depth=20, widths=(8, 16, 24))
for mod in m.modules():  # non-trivial BatchNorms: a channel whose statistics did not follow it would show
    if isinstance(mod, torch.nn.BatchNorm2d):
        mod.weight.data.uniform_(0.5, 1.5); mod.bias.data.normal_(); mod.running_mean.normal_(); mod.running_var.uniform_(0.5, 2)
m.eval(); torch.save(m.state_dict(), "narrow.pt")
x = torch.randn(4, 1, 28, 28)
res = {}
for widths in [(8, 16, 48), (12, 20, 24), (8, 16, 24)]:
    for noise in [0.0, 0.01]:
        w = ResNetCifar(depth=20, widths=widths)
        w.load_state_dict(widen.widen_state(m.state_dict(), widths, seed=5, noise=noise))
        with torch.no_grad():
            res[f"{widths} {noise}"] = float((w.eval()(x) - m(x)).abs().max() / m(x).abs().max())
try:
    widen.widen_state(m.state_dict(), (4, 16, 24)); narrowed = True
except ValueError:
    narrowed = False
stages = [list(stage_widths(ResNetCifar(depth=d, widths=w).state_dict(), d)) for d, w in [(20, (8, 16, 48)), (8, (4, 8, 16, 32))]]
print(json.dumps({"diff": res, "narrowed": narrowed, "stages": stages}))`);
    for (const [k, d] of Object.entries(out.diff as Record<string, number>)) {
      if (k.endsWith(' 0')) expect(d, k).toBeLessThan(1e-5);
      else expect(d, k).toBeLessThan(0.05); // the copies' noise moves outputs a little, and only where there are copies
    }
    expect(out.diff['(8, 16, 24) 0.01']).toBe(0);
    expect(out.narrowed).toBe(false);
    expect(out.stages).toEqual([[8, 16, 48], [4, 8, 16, 32]]); // any stage count, read from the blocks
    const dir = join(tmp, 'crop-widen');
    const r = spawnSync(PY, [join(trainDir, 'crop_classifier.py'), '--init', join(tmp, 'narrow.pt'), '--widths', '8,16,48',
      '--scenes', '40', '--epochs', '1', '--batch', '64', '--val', join(FIXTURE_DIR, 'fresh-200'), '--no-export', '--out', dir],
    { encoding: 'utf8', cwd: join(trainDir, '../..') });
    expect(r.status, r.stderr).toBe(0);
    const widths = py(`import json, torch
from train_classifier import stage_widths
print(json.dumps(stage_widths(torch.load(${JSON.stringify(join(dir, 'crop-classifier.pt'))}))))`);
    expect(widths).toEqual([8, 16, 48]);
  }, 120_000);

  it('crop_data.py: the pool does not depend on the worker count; torch crops match the NumPy reference; erasing', () => {
    const out = py(`import json, numpy as np, torch, crop_data as cd
a = cd.make_pool(60, 7101, 0.5, workers=1)
b = cd.make_pool(60, 7101, 0.5, workers=2)
imgs, idx, bx = cd.load_set(${JSON.stringify(join(FIXTURE_DIR, 'fresh-200'))})
f = imgs.astype(np.float32) / 255
boxes = np.concatenate([cd.jitter(bx, np.random.default_rng(0), 0.06), [[80.5, -6.0, 101.0, 20.25], [40.0, 40.0, 41.5, 42.0]]]).astype(np.float32)
ii = np.concatenate([idx, [0, 0]])
ref = cd.crop_batch(f, ii, boxes)
mine = cd.crop_batch_torch(torch.from_numpy(f), torch.from_numpy(ii), torch.from_numpy(boxes)).numpy()
x = torch.from_numpy(ref[:400]).unsqueeze(1).clone()
g = torch.Generator(); g.manual_seed(1)
y = cd.random_erase(x.clone(), g, p=0.5)
share = (y != x).flatten(1).float().mean(1)
print(json.dumps({"same": all(bool(np.array_equal(p, q)) for p, q in zip(a, b)), "items": len(a[2]),
                  "diff": float(np.abs(ref - mine).max()), "crops": len(ref),
                  "erased": float((share > 0).float().mean()), "area": [float(share[share > 0].min()), float(share.max())]}))`);
    expect(out.same).toBe(true);
    expect(out.items).toBeGreaterThan(100);
    expect(out.diff).toBeLessThan(1e-3);
    expect(out.erased).toBeGreaterThan(0.4);
    expect(out.erased).toBeLessThan(0.6);
    expect(out.area[0]).toBeGreaterThan(0);
    expect(out.area[1]).toBeLessThanOrEqual(0.26);
  }, 120_000);

  it('crop_classifier.py: the GPU path trains on the CPU within a fitted budget; the export carries its widths for onnx_init.py', () => {
    const run = (args: string[]) => {
      const r = spawnSync(PY, args, { encoding: 'utf8', cwd: join(trainDir, '../..') });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const dir = join(tmp, 'crop-gpu-path');
    run([join(trainDir, 'crop_classifier.py'), '--torch-crops', '--workers', '2', '--widths', '8,16,24', '--scenes', '120',
      '--epochs', '50', '--fit-seconds', '15', '--batch', '64', '--erase', '0.5', '--val', join(FIXTURE_DIR, 'fresh-200'),
      '--no-export', '--out', dir]);
    const record = JSON.parse(readFileSync(join(dir, 'crop-classifier.train.json'), 'utf8'));
    expect(record.epochs).toBeGreaterThanOrEqual(1);
    expect(record.epochs).toBeLessThan(50); // fitted to the budget, not the cap
    expect(record.log).toHaveLength(record.epochs);
    expect(record.stopped_early).toBe(false);
    run([join(trainDir, 'crop_classifier.py'), '--export', join(dir, 'crop-classifier.pt'), '--out', join(dir, 'c.onnx')]);
    const meta = py(`import onnx, json
print(json.dumps({p.key: p.value for p in onnx.load(${JSON.stringify(join(dir, 'c.onnx'))}).metadata_props}))`);
    expect(meta['resnet-edge.widths']).toBe('8,16,24');
    const back = run([join(trainDir, 'onnx_init.py'), '--arch', 'crop', '--onnx', join(dir, 'c.onnx'), '--out', join(dir, 'back.pt')]);
    expect(back).toMatch(/widths \(8, 16, 24\)/);
  }, 240_000);
});
