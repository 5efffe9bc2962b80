"""Train the detection model `fmnist-scenes-centernet`: ResNet-style backbone + CenterNet head (stride 4).

Architecture (input 1x96x96, x/255; blocks per stage from --blocks: 2,2,2,2 ResNet-18-style, 3,4,6,3 ResNet-34-style,
the shipped stage 6):
  stem   conv3x3/2 16 -> 48x48
  layer1 basic blocks  16 ch, 48x48      (identity shortcuts)
  layer2 basic blocks  32 ch, 24x24      (first block: 1x1/2 projection shortcut, then identity)
  layer3 basic blocks  64 ch, 12x12
  layer4 basic blocks 128 ch,  6x6
  neck   FPN-style top-down: 1x1 lateral convs + Resize(nearest, x2) + Add, back to 24x24 (stride 4)
  head   shared conv3x3 64 + ReLU, then 1x1 convs:
         heatmap [N,10,24,24] (Sigmoid), size [N,2,24,24] (w,h in input px), offset [N,2,24,24]
Ops in the exported graph: Conv (BN folded), Relu, Add, Resize(nearest), Sigmoid.

Training: CenterNet losses (penalty-reduced focal loss on Gaussian heatmaps, L1 size x0.1, L1 offset),
Adam + cosine decay, scenes from scenes.py (train-split items), horizontal flips; seeded.

Usage (exact command for the shipped model is recorded in out/fmnist-scenes-centernet.train.json):
  /usr/bin/python3 models/train/train_detector.py --epochs 8 --scenes 24000 --seed 0 --threads 2
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import detector_eval  # noqa: E402
import fmnist  # noqa: E402
import scenes  # noqa: E402
from resnet_blocks import BasicBlock  # noqa: E402

STRIDE = 4
NUM_CLASSES = 10
MAX_OBJ = 16
NAME = "fmnist-scenes-centernet"


def _conv_bn_relu(cin, cout, k, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class CenterNetResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64, 128), neck=64, num_classes=NUM_CLASSES, blocks=(2, 2, 2, 2)):
        super().__init__()
        self.stem = _conv_bn_relu(1, widths[0], 3, 2)
        stages, cin = [], widths[0]
        for i, (w, n) in enumerate(zip(widths, blocks)):
            stages.append(nn.Sequential(BasicBlock(cin, w, 1 if i == 0 else 2),
                                        *[BasicBlock(w, w, 1) for _ in range(n - 1)]))
            cin = w
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.lat4 = nn.Conv2d(widths[3], neck, 1)
        self.lat3 = nn.Conv2d(widths[2], neck, 1)
        self.lat2 = nn.Conv2d(widths[1], neck, 1)
        self.smooth = _conv_bn_relu(neck, neck, 3)
        self.head = _conv_bn_relu(neck, neck, 3)
        self.heatmap = nn.Conv2d(neck, num_classes, 1)
        self.size = nn.Conv2d(neck, 2, 1)
        self.offset = nn.Conv2d(neck, 2, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)
        nn.init.normal_(self.heatmap.weight, std=0.01)
        nn.init.constant_(self.heatmap.bias, -2.19)  # prior 0.1, as in CenterNet
        nn.init.normal_(self.size.weight, std=0.01)
        nn.init.constant_(self.size.bias, 24.0)  # typical object side, px
        nn.init.normal_(self.offset.weight, std=0.01)
        nn.init.constant_(self.offset.bias, 0.5)

    def features(self, x):
        c2 = self.layer2(self.layer1(self.stem(x)))
        c3 = self.layer3(c2)
        c4 = self.layer4(c3)
        p = self.lat3(c3) + F.interpolate(self.lat4(c4), scale_factor=2.0, mode="nearest")
        p = self.lat2(c2) + F.interpolate(p, scale_factor=2.0, mode="nearest")
        return self.head(self.smooth(p))

    def forward(self, x):
        f = self.features(x)
        return torch.sigmoid(self.heatmap(f)), self.size(f), self.offset(f)

    def forward_logits(self, x):
        f = self.features(x)
        return self.heatmap(f), self.size(f), self.offset(f)


def load_grown(model, state):
    """Load weights of a model with fewer blocks per stage (--init from a shallower run).

    Blocks missing from `state` keep their init, whose last BN scale is zero: such a block adds 0 to its identity
    shortcut and its input is already ReLU'd, so the grown model computes exactly what the smaller one did (in eval
    mode) and training starts from the smaller model's accuracy with extra capacity in the stages.
    """
    res = model.load_state_dict(state, strict=False)
    if res.unexpected_keys:
        raise ValueError(f"--init has weights this model lacks: {res.unexpected_keys[:4]}")
    grown = sorted({".".join(k.split(".")[:2]) for k in res.missing_keys})
    if any(not k.startswith("layer") for k in grown):
        raise ValueError(f"--init lacks non-block weights: {grown}")
    return grown


def gaussian_radius(h, w, min_overlap=0.7):
    """CornerNet/CenterNet radius so a box shifted by it keeps IoU >= min_overlap (all three cases)."""
    a1, b1, c1 = 1, h + w, w * h * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + math.sqrt(b1 ** 2 - 4 * a1 * c1)) / 2
    a2, b2, c2 = 4, 2 * (h + w), (1 - min_overlap) * w * h
    r2 = (b2 + math.sqrt(b2 ** 2 - 4 * a2 * c2)) / 2
    a3, b3, c3 = 4 * min_overlap, -2 * min_overlap * (h + w), (min_overlap - 1) * w * h
    r3 = (b3 + math.sqrt(b3 ** 2 - 4 * a3 * c3)) / 2
    return min(r1, r2, r3)


def make_targets(boxes_list, out_hw):
    """Boxes (px) -> heatmap [B,C,h,w], ind/wh/reg/mask [B,MAX_OBJ,...] CenterNet targets."""
    oh, ow = out_hw
    b = len(boxes_list)
    hm = np.zeros((b, NUM_CLASSES, oh, ow), np.float32)
    ind = np.zeros((b, MAX_OBJ), np.int64)
    wh = np.zeros((b, MAX_OBJ, 2), np.float32)
    reg = np.zeros((b, MAX_OBJ, 2), np.float32)
    mask = np.zeros((b, MAX_OBJ), np.float32)
    yy, xx = np.mgrid[0:oh, 0:ow]
    for i, boxes in enumerate(boxes_list):
        for k, (x0, y0, x1, y1, c) in enumerate(boxes[:MAX_OBJ]):
            w, h = x1 - x0, y1 - y0
            cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
            ix, iy = min(int(cx), ow - 1), min(int(cy), oh - 1)
            r = max(0, int(gaussian_radius(h / STRIDE, w / STRIDE)))
            sigma = (2 * r + 1) / 6
            g = np.exp(-((xx - ix) ** 2 + (yy - iy) ** 2) / (2 * sigma * sigma))
            g[np.abs(xx - ix) > r] = 0
            g[np.abs(yy - iy) > r] = 0
            np.maximum(hm[i, int(c)], g, out=hm[i, int(c)])
            ind[i, k] = iy * ow + ix
            wh[i, k] = (w, h)
            reg[i, k] = (cx - ix, cy - iy)
            mask[i, k] = 1
    return [torch.from_numpy(t) for t in (hm, ind, wh, reg, mask)]


def focal_loss(logits, gt):
    """CenterNet penalty-reduced pixel-wise focal loss (alpha 2, beta 4), normalised by object count."""
    pred = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg_w = torch.pow(1 - gt, 4)
    pos_loss = torch.log(pred) * torch.pow(1 - pred, 2) * pos
    neg_loss = torch.log(1 - pred) * torch.pow(pred, 2) * neg_w * (1 - pos)
    n = pos.sum()
    return -(pos_loss.sum() + neg_loss.sum()) / torch.clamp(n, min=1.0)


def reg_l1(pred, ind, target, mask):
    b, c = pred.shape[:2]
    p = pred.view(b, c, -1).gather(2, ind.unsqueeze(1).expand(b, c, ind.shape[1])).permute(0, 2, 1)
    m = mask.unsqueeze(2)
    return (torch.abs(p - target) * m).sum() / (m.sum() * c + 1e-4)


def flip_batch(imgs, boxes_list, rng):
    """Horizontal flip of a random half of the batch (images uint8 [B,H,W], boxes in pixel-edge coords)."""
    imgs = imgs.copy()
    out = []
    for i, b in enumerate(boxes_list):
        if rng.random() < 0.5:
            imgs[i] = imgs[i, :, ::-1]
            b = b.copy()
            b[:, [0, 2]] = scenes.SIZE - b[:, [2, 0]]
        out.append(b)
    return imgs, out


def to_input(u8):
    return torch.from_numpy(u8.astype(np.float32) / 255.0).unsqueeze(1)


def predict(model, imgs, bs=100, score_threshold=0.05):
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(imgs), bs):
            hm, sz, off = model(to_input(imgs[i:i + bs]))
            for j in range(hm.shape[0]):
                d = detector_eval.decode_centernet(hm[j].numpy(), sz[j].numpy(), off[j].numpy(), STRIDE,
                                                   score_threshold=score_threshold)
                preds.append(detector_eval.nms(d, 0.5))
    return preds


def load_pool(count, seed, cache_dir):
    """Training scenes (train-split items), cached as .npz keyed by (count, seed) since generation costs minutes."""
    path = os.path.join(cache_dir, f"scenes-train-{count}-{seed}.npz")
    if os.path.exists(path):
        z = np.load(path)
        imgs, flat, counts = z["imgs"], z["boxes"], z["counts"]
        boxes = np.split(flat, np.cumsum(counts)[:-1])
        return imgs, boxes
    imgs, boxes = scenes.make_scenes("train", count, seed)
    os.makedirs(cache_dir, exist_ok=True)
    np.savez(path, imgs=imgs, boxes=np.concatenate(boxes).reshape(-1, 5),
             counts=np.array([len(b) for b in boxes]))
    return imgs, boxes


def export_onnx(model, path):
    model = model.to(memory_format=torch.contiguous_format).eval()
    dummy = torch.zeros(1, 1, scenes.SIZE, scenes.SIZE)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["heatmap", "size", "offset"],
                      dynamic_axes={k: {0: "N"} for k in ("input", "heatmap", "size", "offset")},
                      opset_version=13, do_constant_folding=True)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return sorted({n.op_type for n in m.graph.node})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--scenes", type=int, default=24000, help="training scenes (train-split items)")
    ap.add_argument("--scene-seed", default="1", help="pool seed, or comma-separated seeds: one pool of --scenes each")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--threads-later", default="", help="HH:MM=N: switch to N threads at that UTC time (shared CPU)")
    ap.add_argument("--eval-scenes", type=int, default=200, help="held-out scenes scored after each epoch")
    ap.add_argument("--heldout", type=int, default=500)
    ap.add_argument("--resume", default="", help="checkpoint (model, opt, lr) to continue from")
    ap.add_argument("--init", default="", help="start from these weights (a saved state_dict) with a fresh optimizer")
    ap.add_argument("--resume-steps", type=int, default=0, help="steps of the cosine decay after --resume")
    ap.add_argument("--time-budget", type=float, default=0, help="cosine decay over this many seconds, then stop")
    ap.add_argument("--checkpoint-at", type=int, default=0,
                    help="save models/train/data/ckpt-step<N>.pt (model, opt, lr) after step N and exit")
    ap.add_argument("--blocks", default="2,2,2,2", help="basic blocks per stage (ResNet-18: 2,2,2,2; ResNet-34: 3,4,6,3)")
    ap.add_argument("--bench", type=int, default=0, help="time N training steps and exit")
    ap.add_argument("--cache", default="models/train/data")
    ap.add_argument("--out", default="models/train/out")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    t_start = time.time()
    pools = [load_pool(args.scenes, int(s), args.cache) for s in str(args.scene_seed).split(",")]
    imgs = np.concatenate([p[0] for p in pools])
    boxes = [b for p in pools for b in p[1]]
    del pools
    te_imgs, te_boxes = scenes.make_scenes("t10k", args.heldout, scenes.HELDOUT_SEED)
    print(json.dumps({"pool_scenes": len(imgs), "pool_objects": int(sum(len(b) for b in boxes)),
                      "data_s": round(time.time() - t_start, 1)}), flush=True)

    blocks = tuple(int(b) for b in args.blocks.split(","))
    model = CenterNetResNet(blocks=blocks).to(memory_format=torch.channels_last)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": no_decay, "weight_decay": 0}],
                            lr=args.lr)
    per_epoch = len(imgs) // args.batch
    total = args.epochs * per_epoch
    warm = min(300, total // 10)
    lr0 = args.lr
    resumed = None
    if args.init:
        # Fine-tune: earlier weights, fresh AdamW, the usual warm-up + cosine over --epochs (or --time-budget).
        grown = load_grown(model, torch.load(args.init))
        resumed = {"note": "weights from " + args.init + (f"; new zero-residual blocks {grown}" if grown else "")}
    if args.resume:
        # Warm restart: weights and Adam moments from a checkpoint, then a fresh cosine decay from its lr to 0.
        resumed = torch.load(args.resume)
        model.load_state_dict(resumed["model"])
        opt.load_state_dict(resumed["opt"])
        lr0 = resumed["lr"]
        total = args.resume_steps or 10 ** 9
        warm = 0

    def lr_factor(step, elapsed):
        if args.time_budget:
            # Shared CPU: decay over wall-clock time so the run ends on time whatever the load; steps are logged.
            ramp = (step + 1) / warm if step < warm else 1.0
            return ramp * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / args.time_budget)))
        if step < warm:
            return (step + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))

    out_hw = (scenes.SIZE // STRIDE, scenes.SIZE // STRIDE)

    later = args.threads_later.split("=") if args.threads_later else None
    log = []
    t0 = time.time()
    step = 0
    done = False
    epoch = 0
    while not done:
        model.train()
        perm = rng.permutation(len(imgs))
        sums = np.zeros(4)
        n = 0
        for bi in range(per_epoch):
            elapsed = time.time() - t0
            if step >= total or (args.time_budget and elapsed >= args.time_budget):
                done = True
                break
            for g in opt.param_groups:
                g["lr"] = lr0 * lr_factor(step, elapsed)
            idx = perm[bi * args.batch:(bi + 1) * args.batch]
            xb, bb = flip_batch(imgs[idx], [boxes[i] for i in idx], rng)
            hm, ind, wh, reg, mask = make_targets(bb, out_hw)
            lg, sz, off = model.forward_logits(to_input(xb).to(memory_format=torch.channels_last))
            l_hm = focal_loss(lg, hm)
            l_wh = reg_l1(sz, ind, wh, mask)
            l_off = reg_l1(off, ind, reg, mask)
            loss = l_hm + 0.1 * l_wh + l_off
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            n += 1
            sums += [loss.item(), l_hm.item(), l_wh.item(), l_off.item()]
            if args.checkpoint_at and step == args.checkpoint_at:
                path = os.path.join(args.cache, f"ckpt-step{step}.pt")
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                            "lr": float(opt.param_groups[0]["lr"]), "elapsed_s": round(time.time() - t0, 1),
                            "note": "/usr/bin/python3 " + " ".join(sys.argv)}, path)
                print("checkpoint", path, flush=True)
                return
            if args.bench and step >= args.bench:
                print(json.dumps({"bench_steps": step, "s_per_step": round((time.time() - t0) / step, 4)}))
                return
            if later and time.strftime("%H:%M", time.gmtime()) >= later[0]:
                torch.set_num_threads(int(later[1]))
                print(f"  threads -> {later[1]}", flush=True)
                later = None
            if bi % 100 == 0:
                print(f"  epoch {epoch + 1} step {bi}/{per_epoch} loss {loss.item():.3f} "
                      f"({time.time() - t0:.0f}s)", flush=True)
        if n == 0:
            break
        epoch += 1
        m = detector_eval.evaluate(predict(model, te_imgs[:args.eval_scenes]), te_boxes[:args.eval_scenes])
        log.append({"epoch": epoch, "steps": step, "lr": round(opt.param_groups[0]["lr"], 7), "loss": round(sums[0] / n, 4), "heatmap": round(sums[1] / n, 4),
                    "size": round(sums[2] / n, 4), "offset": round(sums[3] / n, 4),
                    f"heldout{args.eval_scenes}_map50": round(m["map50"], 4),
                    f"heldout{args.eval_scenes}_map50_95": round(m["map50_95"], 4),
                    "elapsed_s": round(time.time() - t0, 1)})
        print(json.dumps(log[-1]), flush=True)

    train_s = time.time() - t0
    final = detector_eval.evaluate(predict(model, te_imgs), te_boxes)
    os.makedirs(args.out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.out, f"{NAME}.pt"))
    onnx_path = os.path.join(args.out, f"{NAME}.fp32.onnx")
    ops = export_onnx(model, onnx_path)
    meta = {"model": NAME, "command": "/usr/bin/python3 " + " ".join(sys.argv), "args": vars(args),
            "torch": torch.__version__, "train_s": round(train_s, 1), "steps": step,
            "resumed_from": None if resumed is None else {k: resumed.get(k) for k in ("step", "lr", "elapsed_s", "note")},
            "params": int(sum(p.numel() for p in model.parameters())), "onnx_ops": ops,
            "input": {"name": "input", "shape": [1, 1, scenes.SIZE, scenes.SIZE], "channels": "grayscale",
                      "scale": 255, "mean": [0.0], "std": [1.0]},
            "head": {"format": "centernet", "heatmap": "heatmap", "size": "size", "offset": "offset",
                     "stride": STRIDE, "sigmoid": True},
            "labels": fmnist.LABELS,
            "heldout": {"split": "t10k", "seed": scenes.HELDOUT_SEED, "count": args.heldout,
                        "decode": "3x3 peaks, top-100, score>=0.05, class-aware NMS 0.5",
                        "fp32_torch_map50": round(final["map50"], 4),
                        "fp32_torch_map50_95": round(final["map50_95"], 4),
                        "per_class_ap50": final["per_class50"]},
            "log": log}
    with open(os.path.join(args.out, f"{NAME}.train.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps({"final": meta["heldout"], "ops": ops}), flush=True)
    print("wrote", onnx_path)


if __name__ == "__main__":
    main()
