/**
 * The detector's training tools, run with Debian's torch (skipped with a warning where it is missing):
 * - models/train/scenes.py regenerates the committed fixtures byte for byte (the style presets must leave the
 *   default generator and the presets' random streams unchanged);
 * - models/train/onnx_init.py rebuilds trainable weights from a BN-folded ONNX export: eval-mode outputs match the
 *   network that was exported, and re-exporting gives back the same conv weights;
 * - models/train/crop_classifier.py --evaluate reloads checkpoints of any --widths and crops clean t10k items.
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
});
