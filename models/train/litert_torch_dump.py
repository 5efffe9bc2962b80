"""Dump the bench's seeded torchvision ResNet (weights + fp32 logits) for the keras/TFLite copy (LiteRT.js bench column).

Rebuilds the model exactly as export_torchvision.py does before its ONNX export (same seed, same BatchNorm warm-up on
random data, eval mode), so the arrays are the weights of the bench's ONNX model. Runs under Debian's torch
(/usr/bin/python3); the TensorFlow venv reads the .npz, so neither interpreter needs the other's packages.

Usage (called by litert_convert.py):
  /usr/bin/python3 models/train/litert_torch_dump.py --arch resnet50 --inputs x.npy --out dump.npz
  --inputs: float32 NCHW batch whose logits are dumped as `logits` (the fp32 reference for the keras copy).
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402  (same build() as the ONNX export)


def seeded_model(arch, seed, size):
    """The model export_torchvision.main() exports: seed, build, 3 train-mode passes on random data, eval."""
    torch.manual_seed(seed)
    model, _ = export_torchvision.build(arch)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, size, size) * 1.5 + 0.2)
    return model.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', required=True, help='resnet18 | resnet34 | resnet50 | resnet101 | resnet152')
    ap.add_argument('--seed', type=int, default=0, help='export_torchvision.py --seed (default 0, as the bench uses)')
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--inputs', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    model = seeded_model(a.arch, a.seed, a.size)
    x = torch.from_numpy(np.load(a.inputs).astype(np.float32))
    logits = []
    with torch.no_grad():
        for i in range(0, x.shape[0], 8):
            logits.append(model(x[i:i + 8]).numpy())
    arrays = {k: v.detach().numpy() for k, v in model.state_dict().items() if v.dtype.is_floating_point}
    np.savez(a.out, logits=np.concatenate(logits), **{f'w:{k}': v for k, v in arrays.items()})
    print(f'wrote {a.out}: {a.arch} seed {a.seed}, {len(arrays)} arrays, logits {tuple(np.concatenate(logits).shape)}')


if __name__ == '__main__':
    main()
