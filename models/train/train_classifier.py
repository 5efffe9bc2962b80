"""Train the default classifier: CIFAR-style ResNet-20 (He et al. 2015, section 4.2) on Fashion-MNIST.

Why ResNet-20: it is the paper's own small-input ResNet (identity shortcuts, basic blocks, 3 stages of
16/32/64 channels), ~0.27 M parameters and ~41 M MACs at 28x28, so the int8 model is ~300 KB and
trains on two CPU cores in well under an hour, while reaching ~94% on Fashion-MNIST.

Usage (exact command used for the shipped model):
  /usr/bin/python3 models/train/train_classifier.py --epochs 16 --seed 0 --out models/train/out
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import fmnist  # noqa: E402
from resnet_blocks import BasicBlock  # noqa: E402

MEAN, STD = 0.2860, 0.3530


class ResNetCifar(nn.Module):
    def __init__(self, depth=20, num_classes=10, in_ch=1, widths=(16, 32, 64)):
        super().__init__()
        n = (depth - 2) // 6
        self.stem = nn.Sequential(nn.Conv2d(in_ch, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            for j in range(n):
                layers.append(BasicBlock(cin, w, 2 if (i > 0 and j == 0) else 1))
                cin = w
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        # Zero-init the last BN of each block so every block starts as identity (Goyal et al.).
        for m in self.modules():
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)

    def forward(self, x):
        x = self.layers(self.stem(x))
        return self.fc(torch.flatten(self.pool(x), 1))


def stage_widths(state, depth=20):
    """The stage widths of a ResNetCifar state dict: the first block of stage k is layers.{k * (depth - 2) // 6}.
    ResNetCifar puts (depth - 2) // 6 blocks in each of len(widths) stages, so the block count gives the stage count."""
    per_stage = (depth - 2) // 6
    blocks = sum(1 for k in state if k.startswith("layers.") and k.endswith(".conv1.weight"))
    return tuple(int(state[f"layers.{k * per_stage}.conv1.weight"].shape[0]) for k in range(blocks // per_stage))

def augment(x, gen):
    """Random 2-px translation (pad+crop) and horizontal flip, on a uint8->float batch."""
    n = x.shape[0]
    padded = F.pad(x, (2, 2, 2, 2))
    dx = torch.randint(0, 5, (n,), generator=gen)
    dy = torch.randint(0, 5, (n,), generator=gen)
    out = torch.empty_like(x)
    for i in range(n):
        out[i] = padded[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28]
    flip = torch.rand(n, generator=gen) < 0.5
    out[flip] = out[flip].flip(3)
    return out


def to_input(images_u8):
    return (torch.from_numpy(images_u8).float().div_(255.0).sub_(MEAN).div_(STD)).unsqueeze(1)


def evaluate(model, x, y, bs=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images only (smoke test)")
    ap.add_argument("--out", default="models/train/out")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(args.seed)

    tr_x, tr_y = fmnist.load("train")
    te_x, te_y = fmnist.load("t10k")
    if args.limit:
        tr_x, tr_y = tr_x[:args.limit], tr_y[:args.limit]
    xtr, ytr = to_input(tr_x), torch.from_numpy(tr_y.astype(np.int64))
    xte, yte = to_input(te_x), torch.from_numpy(te_y.astype(np.int64))

    model = ResNetCifar(depth=args.depth)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}],
                          lr=args.lr, momentum=0.9, nesterov=True)
    steps = args.epochs * ((len(xtr) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.15)

    log = []
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot, n = 0.0, 0
        for i in range(0, len(xtr), args.batch):
            idx = perm[i:i + args.batch]
            xb = augment(xtr[idx], gen)
            loss = F.cross_entropy(model(xb), ytr[idx], label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
            n += len(idx)
        acc = evaluate(model, xte, yte)
        log.append({"epoch": epoch + 1, "loss": tot / n, "test_top1": acc, "elapsed_s": round(time.time() - t0, 1)})
        print(json.dumps(log[-1]), flush=True)

    os.makedirs(args.out, exist_ok=True)
    name = f"fmnist-resnet{args.depth}"
    torch.save(model.state_dict(), os.path.join(args.out, f"{name}.pt"))
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    onnx_path = os.path.join(args.out, f"{name}.fp32.onnx")
    torch.onnx.export(model, dummy, onnx_path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13,
                      do_constant_folding=True)
    meta = {"model": name, "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "seed": args.seed,
            "torch": torch.__version__, "fp32_test_top1_torch": log[-1]["test_top1"], "log": log,
            "mean": MEAN, "std": STD, "labels": fmnist.LABELS,
            "command": "/usr/bin/python3 " + " ".join(sys.argv)}
    with open(os.path.join(args.out, f"{name}.train.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("wrote", onnx_path)


if __name__ == "__main__":
    main()
