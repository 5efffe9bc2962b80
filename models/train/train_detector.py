"""Train the detection model `fmnist-scenes-centernet`: ResNet-style backbone + CenterNet head (stride 4).

The network is in detector_model.py. Training: CenterNet losses (penalty-reduced focal loss on Gaussian heatmaps,
L1 size x0.1, L1 offset; optionally --cls-ce, a softmax cross-entropy over the classes at object centers), AdamW +
warm-up + cosine decay (over steps, or over wall-clock seconds with --time-budget), horizontal flips; scenes from
scenes.py (train-split items): cached pools (--scene-seed) or an endless stream of augmented scenes (--stream, random
background level/texture, item scale/contrast, clutter and item count per scene); optional weight EMA; seeded.

Usage (exact command for the shipped model is recorded in models/fmnist-scenes-centernet/train-log.json):
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
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import detector_eval  # noqa: E402
import fmnist  # noqa: E402
import scenes  # noqa: E402
from detector_data import STRIDE, SceneStream, flip_batch, load_pool, make_targets  # noqa: E402
# CenterNetResNet and load_grown are used through this module by tests and older commands.
from detector_model import CenterNetResNet, export_onnx, load_grown, predict, scores, to_input  # noqa: E402,F401

NAME = "fmnist-scenes-centernet"


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


def class_ce(logits, ind, cls, mask):
    """Softmax cross-entropy over the heatmap's class logits at each object's center cell: with class-agnostic NMS
    only the top class of a location survives, so the right class must win there, not merely score high."""
    b, c = logits.shape[:2]
    z = logits.view(b, c, -1).gather(2, ind.unsqueeze(1).expand(b, c, ind.shape[1])).permute(0, 2, 1)
    ce = F.cross_entropy(z.reshape(-1, c), cls.reshape(-1), reduction="none")
    m = mask.reshape(-1)
    return (ce * m).sum() / torch.clamp(m.sum(), min=1.0)


class Ema:
    """Exponential moving average of the weights (BN statistics copied), used for evaluation and export."""

    def __init__(self, model, decay):
        self.decay = decay
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def update(self, model):
        with torch.no_grad():
            for k, v in model.state_dict().items():
                if v.dtype.is_floating_point and "running" not in k:
                    self.state[k].mul_(self.decay).add_(v.detach(), alpha=1 - self.decay)
                else:
                    self.state[k].copy_(v)


def val_sets(count):
    """Validation scenes for the training log (t10k items, the old held-out seed 1234; the fresh evaluation sets use
    other seeds): the default style and the shifted presets."""
    return {p: scenes.make_scenes("t10k", count, scenes.HELDOUT_SEED, style=scenes.style_of(p))
            for p in ("default", "bright", "textured", "small")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--scenes", type=int, default=24000, help="training scenes (train-split items)")
    ap.add_argument("--scene-seed", default="1", help="pool seed, or comma-separated seeds: one pool of --scenes each")
    ap.add_argument("--stream", action="store_true",
                    help="endless fresh scenes with random styles (augmentation) instead of cached pools")
    ap.add_argument("--plain-frac", type=float, default=0.3, help="--stream: share of scenes in the default style")
    ap.add_argument("--epoch-steps", type=int, default=1000, help="--stream: steps between evaluations")
    ap.add_argument("--cls-ce", type=float, default=0.0, help="weight of the class cross-entropy at object centers")
    ap.add_argument("--ema", type=float, default=0.0, help="EMA decay of the evaluated/exported weights (0: off)")
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
    ap.add_argument("--save-every", type=float, default=0, help="seconds between <out>/ckpt-last.pt saves")
    ap.add_argument("--continue", dest="cont", default="",
                    help="continue a stopped run exactly (same command) from its ckpt-last.pt")
    ap.add_argument("--blocks", default="2,2,2,2", help="basic blocks per stage (ResNet-18: 2,2,2,2; ResNet-34: 3,4,6,3)")
    ap.add_argument("--bench", type=int, default=0, help="time N training steps and exit")
    ap.add_argument("--cache", default="models/train/data")
    ap.add_argument("--out", default="models/train/out")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    t_start = time.time()
    if args.stream:
        imgs, boxes = None, None
        per_epoch = args.epoch_steps
    else:
        pools = [load_pool(args.scenes, int(s), args.cache) for s in str(args.scene_seed).split(",")]
        imgs = np.concatenate([p[0] for p in pools])
        boxes = [b for p in pools for b in p[1]]
        del pools
        per_epoch = len(imgs) // args.batch
    te_imgs, te_boxes = scenes.make_scenes("t10k", args.heldout, scenes.HELDOUT_SEED)
    vals = val_sets(args.eval_scenes) if args.stream else {"default": (te_imgs[:args.eval_scenes], te_boxes[:args.eval_scenes])}
    print(json.dumps({"pool_scenes": "stream" if args.stream else len(imgs),
                      "data_s": round(time.time() - t_start, 1)}), flush=True)

    blocks = tuple(int(b) for b in args.blocks.split(","))
    # Default (NCHW) memory format: channels_last ran 10-60 % slower on this CPU (1.13, 1-2 threads).
    model = CenterNetResNet(blocks=blocks)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": no_decay, "weight_decay": 0}],
                            lr=args.lr)
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
    ema = Ema(model, args.ema) if args.ema else None
    log, step, epoch, elapsed0 = [], 0, 0, 0.0
    if args.cont:
        ck = torch.load(args.cont)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        if ema is not None:
            ema.state = ck["ema"]
        log, step, epoch, elapsed0 = ck["log"], ck["step"], ck["epoch"], ck["elapsed_s"]
        rng.bit_generator.state = ck["rng"]
        resumed = ck.get("resumed")
        print(f"continuing {args.cont} at step {step}, {elapsed0:.0f}s", flush=True)

    def lr_factor(step, elapsed):
        if args.time_budget:
            # Shared CPU: decay over wall-clock time so the run ends on time whatever the load; steps are logged.
            ramp = (step + 1) / warm if step < warm else 1.0
            return ramp * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / args.time_budget)))
        if step < warm:
            return (step + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))

    out_hw = (scenes.SIZE // STRIDE, scenes.SIZE // STRIDE)
    if args.stream:
        stream = iter(torch.utils.data.DataLoader(SceneStream(args.seed, args.batch, step, args.plain_frac),
                                                  batch_size=None, num_workers=1, prefetch_factor=4))

    def save_last():
        path = os.path.join(args.out, "ckpt-last.pt")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "ema": None if ema is None else ema.state,
                    "step": step, "epoch": epoch, "elapsed_s": time.time() - t0, "log": log,
                    "rng": rng.bit_generator.state, "resumed": resumed}, path + ".tmp")
        os.replace(path + ".tmp", path)

    def eval_model():
        if ema is None:
            return model
        m = CenterNetResNet(blocks=blocks)
        m.load_state_dict(ema.state)
        return m

    os.makedirs(args.out, exist_ok=True)
    later = args.threads_later.split("=") if args.threads_later else None
    t0 = time.time() - elapsed0
    last_save = time.time()
    done = False
    while not done:
        model.train()
        perm = None if args.stream else rng.permutation(len(imgs))
        sums = np.zeros(5)
        n = 0
        for bi in range(per_epoch):
            elapsed = time.time() - t0
            if step >= total or (args.time_budget and elapsed >= args.time_budget):
                done = True
                break
            for g in opt.param_groups:
                g["lr"] = lr0 * lr_factor(step, elapsed)
            if args.stream:
                xb, hm, ind, wh, reg, mask, cls = next(stream)
                x = xb.float().div_(255.0).unsqueeze(1)
            else:
                idx = perm[bi * args.batch:(bi + 1) * args.batch]
                xb, bb = flip_batch(imgs[idx], [boxes[i] for i in idx], rng)
                hm, ind, wh, reg, mask, cls = make_targets(bb, out_hw)
                x = to_input(xb)
            lg, sz, off = model.forward_logits(x)
            l_hm = focal_loss(lg, hm)
            l_wh = reg_l1(sz, ind, wh, mask)
            l_off = reg_l1(off, ind, reg, mask)
            loss = l_hm + 0.1 * l_wh + l_off
            l_ce = class_ce(lg, ind, cls, mask) if args.cls_ce else torch.zeros(())
            if args.cls_ce:
                loss = loss + args.cls_ce * l_ce
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if ema is not None:
                ema.update(model)
            step += 1
            n += 1
            sums += [loss.item(), l_hm.item(), l_wh.item(), l_off.item(), l_ce.item()]
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
            if args.save_every and time.time() - last_save >= args.save_every:
                save_last()
                last_save = time.time()
            if bi % 100 == 0:
                print(f"  epoch {epoch + 1} step {bi}/{per_epoch} loss {loss.item():.3f} ce {l_ce.item():.3f} "
                      f"lr {opt.param_groups[0]['lr']:.2e} ({time.time() - t0:.0f}s)", flush=True)
        if n == 0:
            break
        epoch += 1
        entry = {"epoch": epoch, "steps": step, "lr": round(opt.param_groups[0]["lr"], 7),
                 "loss": round(sums[0] / n, 4), "heatmap": round(sums[1] / n, 4), "size": round(sums[2] / n, 4),
                 "offset": round(sums[3] / n, 4), "class_ce": round(sums[4] / n, 4)}
        if args.stream:
            entry["val"] = scores(eval_model(), vals)
        else:
            m = detector_eval.evaluate(predict(model, te_imgs[:args.eval_scenes]), te_boxes[:args.eval_scenes])
            entry[f"heldout{args.eval_scenes}_map50"] = round(m["map50"], 4)
            entry[f"heldout{args.eval_scenes}_map50_95"] = round(m["map50_95"], 4)
        entry["elapsed_s"] = round(time.time() - t0, 1)
        log.append(entry)
        print(json.dumps(log[-1]), flush=True)
        if args.save_every:
            save_last()
            last_save = time.time()

    train_s = time.time() - t0
    model = eval_model()
    final = detector_eval.evaluate(predict(model, te_imgs), te_boxes)
    final_agn = detector_eval.evaluate(predict(model, te_imgs, agnostic=True), te_boxes)
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
                        "decode": "3x3 peaks, top-100, score>=0.05, NMS 0.5 (class-aware; agnostic where named)",
                        "fp32_torch_map50": round(final["map50"], 4),
                        "fp32_torch_map50_95": round(final["map50_95"], 4),
                        "fp32_torch_agnostic_map50": round(final_agn["map50"], 4),
                        "fp32_torch_agnostic_map50_95": round(final_agn["map50_95"], 4),
                        "per_class_ap50": final["per_class50"],
                        "agnostic_per_class_ap50": final_agn["per_class50"]},
            "log": log}
    with open(os.path.join(args.out, f"{NAME}.train.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps({"final": meta["heldout"], "ops": ops}), flush=True)
    print("wrote", onnx_path)


if __name__ == "__main__":
    main()
