/**
 * models/train/train_detector.py `--blocks` growth (`load_grown`): a 2,2,2,2 checkpoint loaded into a 3,4,6,3 model must
 * compute the same outputs (the new blocks start as identities), and a checkpoint with blocks the model lacks must be
 * refused. Runs the training code itself with Debian's torch; skipped with a warning where torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PY = '/usr/bin/python3';
const trainDir = join(dirname(fileURLToPath(import.meta.url)), '../../models/train');
const hasTorch = spawnSync(PY, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) console.warn(`train-grow.test: skipped, ${PY} cannot import torch (apt-get install python3-torch)`);

// Non-trivial BN statistics and scales everywhere (a fresh model's zero last-BN scales would make the check vacuous).
const script = `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(trainDir)})
import train_detector as T
torch.manual_seed(0)
small = T.CenterNetResNet()
for m in small.modules():
    if isinstance(m, torch.nn.BatchNorm2d):
        m.weight.data.uniform_(0.5, 1.5); m.bias.data.uniform_(-0.2, 0.2)
        m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 2.0)
big = T.CenterNetResNet(blocks=(3, 4, 6, 3))
grown = T.load_grown(big, small.state_dict())
small.eval(); big.eval()
x = torch.rand(2, 1, 96, 96)
with torch.no_grad():
    diffs = [float((a - b).abs().max()) for a, b in zip(small(x), big(x))]
try:
    T.load_grown(T.CenterNetResNet(), big.state_dict()); refused = False
except ValueError:
    refused = True
print(json.dumps({"grown": grown, "diffs": diffs, "refused": refused}))
`;

describe.skipIf(!hasTorch)('train_detector.py --blocks (grow a checkpoint)', () => {
  it('a grown ResNet-34-style model computes what the ResNet-18-style checkpoint did; a deeper checkpoint is refused', () => {
    const r = spawnSync(PY, ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.grown).toEqual(['layer1.2', 'layer2.2', 'layer2.3', 'layer3.2', 'layer3.3', 'layer3.4', 'layer3.5', 'layer4.2']);
    expect(Math.max(...out.diffs)).toBe(0);
    expect(out.refused).toBe(true);
  }, 60_000);
});
