"""Export a CIFAR ResNet-20 with the paper's option-A shortcuts (He et al. 2015, section 4.2) to fp32 ONNX.

Option A: where the shape changes, the shortcut is the identity subsampled with stride 2 and zero-padded with
the missing channels; no parameters. The pad amount is computed from the traced channel count, so torch exports it
as Shape/Gather/arithmetic/ConstantOfShape/Concat/Reshape/Slice/Transpose/Cast feeding Pad, and the subsampling
as strided Slices. Seeded random weights with non-trivial BatchNorm statistics (nothing is downloaded).

Usage: /usr/bin/python3 test/node/own-engine/export_option_a.py --out r20a.onnx [--opset 13] [--size 32]
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F


class ShortcutA(nn.Module):
    def __init__(self, cout):
        super().__init__()
        self.cout = cout

    def forward(self, x):
        pad = (self.cout - x.size(1)) // 2
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad), 'constant', 0.0)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.sc = ShortcutA(cout) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.sc(x))


class ResNet20A(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        blocks, c = [], 16
        for cout, stride in [(16, 1), (32, 2), (64, 2)]:
            for i in range(3):
                blocks.append(Block(c, cout, stride if i == 0 else 1))
                c = cout
        self.body = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.body(self.stem(x)), 1), 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--opset', type=int, default=13)
    ap.add_argument('--size', type=int, default=32)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    model = ResNet20A()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, 3, a.size, a.size) * 1.5 + 0.2)
    model.eval()
    torch.onnx.export(model, torch.randn(1, 3, a.size, a.size), a.out, opset_version=a.opset, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    print(f'wrote {a.out} (ResNet-20 option A, opset {a.opset}, {a.size}x{a.size})')


if __name__ == '__main__':
    main()
