"""Second stage of the default detector: a ResNet-20 that re-labels each detected box from a crop of the scene.

Why: the CenterNet detector finds objects almost perfectly (relabelling its boxes with the true class gives mAP@0.5
0.99 on the fresh set) but confuses the upper-body garment classes (Shirt AP 0.48) because its class head sees each
item at stride 4 with 16-64 channels. A classifier at the item's own resolution (28x28, the Fashion-MNIST size) is
the classic two-stage fix (R-CNN's second stage). The crops and the training scenes: crop_data.py.

Usage (the shipped model; the other cycles and the GPU run: models/train/README-detector.md, stage 8):
  /usr/bin/python3 models/train/crop_classifier.py --scenes 30000 --epochs 6 --out models/train/out/crop1
  python3 models/train/crop_classifier.py --device cuda --workers 16 --widths 32,64,128 --erase 0.5 --amp ...  # GPU
  /usr/bin/python3 models/train/crop_classifier.py --export crop.pt --out crop.fp32.onnx  # ONNX of a checkpoint
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import fmnist  # noqa: E402
from crop_data import (CONTEXT, EPS, MIN_SIDE, R, clean_t10k_crops, crop_batch,  # noqa: E402
                       crop_batch_torch, jitter, load_set, make_pool, random_erase)
from train_classifier import ResNetCifar, stage_widths  # noqa: E402
from widen import widen_state  # noqa: E402

WIDTHS_KEY = "resnet-edge.widths"
TRAIN_SEED = 7001  # cycle 1's pool


def export_onnx(model, path):
    """The SDK's refine model: input [N,1,R,R] standardised crops -> logits [N,10] (contiguous, eval, on the CPU)."""
    model = model.to("cpu", memory_format=torch.contiguous_format).eval()
    torch.onnx.export(model, torch.zeros(1, 1, R, R), path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13,
                      do_constant_folding=True)
    # The stage widths travel in the file, so onnx_init.py rebuilds the same architecture without guessing.
    import onnx

    m = onnx.load(path)
    m.metadata_props.add(key=WIDTHS_KEY, value=",".join(map(str, stage_widths(model.state_dict()))))
    onnx.save(m, path)


def evaluate(model, crops, labels, bs=1000, device="cpu"):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(crops), bs):
            xb = torch.from_numpy(crops[i:i + bs]).unsqueeze(1).to(device)
            correct += (model(xb).argmax(1).cpu().numpy() == labels[i:i + bs]).sum()
    return float(correct) / len(crops)


def write_fixture(path, scene_set="packages/core/test-fixtures/detection/fresh-200"):
    """Crops of scene 0 of a committed set (its true boxes, one past the image edge, one below MIN_SIDE): the TS
    crop (packages/core/src/tasks/refine.test.ts) must match these."""
    imgs, idx, bx = load_set(scene_set)
    boxes = [b[:4].tolist() for b, i in zip(bx, idx) if i == 0][:3] + [[80.5, -6.0, 101.0, 20.25], [40.0, 40.0, 41.5, 42.0]]
    crops = crop_batch(imgs[:1].astype(np.float32) / 255.0, np.zeros(len(boxes), np.int64), np.array(boxes, np.float64))
    json.dump({"source": scene_set + " scene 0, x/255", "r": R, "context": CONTEXT, "minSide": MIN_SIDE, "eps": EPS,
               "boxes": boxes, "crops": [[round(float(v), 5) for v in c.ravel()] for c in crops],
               "command": "/usr/bin/python3 models/train/crop_classifier.py --fixture " + path},
              open(path, "w"), separators=(",", ":"))


def load_weights(path):
    """A crop classifier checkpoint of any --widths (read from the first conv of each stage), in eval mode."""
    state = torch.load(path, map_location="cpu")
    model = ResNetCifar(depth=20, widths=stage_widths(state))
    model.load_state_dict(state)
    return model.eval()


def softmax_batched(model, x, bs=1000):
    with torch.no_grad():
        return torch.cat([torch.softmax(model(x[i:i + bs]), 1) for i in range(0, len(x), bs)])


def diagnose(paths, sets, threads):
    """Top-1 of each checkpoint, their softmax ensemble and ensemble + flip on the true-box crops of each set and
    on clean t10k items (figures quoted in models/train/README-detector.md)."""
    torch.set_num_threads(threads)
    models = [load_weights(p) for p in paths]
    named = []
    for path in sets:
        imgs, idx, bx = load_set(path)
        named.append((os.path.basename(path), crop_batch(imgs.astype(np.float32) / 255.0, idx, bx[:, :4]),
                      bx[:, 4].astype(np.int64)))
    named.append(("clean-t10k", *clean_t10k_crops()))
    for name, crops, labels in named:
        xb = torch.from_numpy(crops).unsqueeze(1)
        probs = [softmax_batched(m, xb) for m in models]
        flips = [softmax_batched(m, xb.flip(3)) for m in models]
        top1 = lambda p: round(float((p.argmax(1).numpy() == labels).mean()), 4)  # noqa: E731
        print(json.dumps({"set": name, "crops": len(labels), "top1": [top1(p) for p in probs],
                          "ensemble": top1(sum(probs)), "ensemble_flip": top1(sum(probs) + sum(flips))}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixture", help="only write the crop test fixture to this path")
    ap.add_argument("--evaluate", help="only report top-1 of these checkpoints (comma-separated) on --eval-sets")
    ap.add_argument("--eval-sets", default="models/train/out/sets/val-500,models/train/out/sets/fresh-500,"
                    "models/train/out/sets/bright-500")
    ap.add_argument("--scenes", type=int, default=24000)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--jitter", type=float, default=0.06)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val", default="models/train/out/sets/val-500")
    ap.add_argument("--init", help="start from these weights (a second cycle: pass a new --pool-seed for fresh scenes); "
                    "a narrower checkpoint is widened to --widths (Net2WiderNet, widen.py)")
    ap.add_argument("--widen-noise", type=float, default=0.01, help="noise on widened copies' weights (x weight std)")
    ap.add_argument("--pool-seed", type=int, default=TRAIN_SEED)
    ap.add_argument("--default-frac", type=float, default=0.0, help="share of pool scenes in the default style")
    ap.add_argument("--widths", default="16,32,64", help="channels of the three stages (wider: more accuracy, more MACs)")
    ap.add_argument("--device", default="cpu", help="torch device, e.g. cuda on a lent GPU (crops are then built there)")
    ap.add_argument("--workers", type=int, default=1, help="processes that build the scene pool (same pool for any)")
    ap.add_argument("--erase", type=float, default=0.0, help="random-erasing probability per crop (0: off)")
    ap.add_argument("--torch-crops", action="store_true", help="make crops with torch (always on a GPU)")
    ap.add_argument("--amp", action="store_true", help="bfloat16 autocast (GPU)")
    ap.add_argument("--fit-seconds", type=float, default=0,
                    help="pick the epoch count (at most --epochs) so training ends within this many seconds")
    ap.add_argument("--max-seconds", type=float, default=0, help="stop training after this many seconds (0: never)")
    ap.add_argument("--no-export", action="store_true", help="skip the ONNX export (export later with --export)")
    ap.add_argument("--export", help="only export this checkpoint to ONNX at --out")
    ap.add_argument("--out", default="models/train/out/crop1")
    args = ap.parse_args()
    if args.fixture:
        return write_fixture(args.fixture)
    if args.evaluate:
        return diagnose(args.evaluate.split(","), args.eval_sets.split(","), args.threads)
    if args.export:
        export_onnx(load_weights(args.export), args.out)
        return print("wrote", args.out, flush=True)
    train(args)


def train_step(model, opt, xb, yb, amp):
    """One SGD step (label smoothing 0.05; bf16 autocast when `amp`); returns the loss."""
    with torch.autocast(xb.device.type, dtype=torch.bfloat16, enabled=amp):
        loss = F.cross_entropy(model(xb).float(), yb, label_smoothing=0.05)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


def fit_epochs(args, model, per_epoch, batch, items, t0, probe=20):
    """How many epochs fit in --fit-seconds (counted from t0, the pool included), at most --epochs: times `probe`
    training steps (batches from `batch(sel, rng)`, as in training) on a copy of the model, so the one-cycle schedule
    ends inside a lent GPU's budget instead of being cut off at a high learning rate."""
    import copy

    dev = next(model.parameters()).device
    m = copy.deepcopy(model).train()  # the real weights and optimiser state stay untouched
    o = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
    rng = np.random.default_rng(0)

    def steps(n):
        for _ in range(n):
            train_step(m, o, *batch(rng.integers(0, items, args.batch), rng), args.amp)
        if dev.type == "cuda":
            torch.cuda.synchronize()

    steps(3)  # warm-up (cuDNN autotuning, allocator)
    t = time.time()
    steps(probe)
    per_step = (time.time() - t) / probe
    left = args.fit_seconds - (time.time() - t0)
    # 10% for the per-epoch validation, checkpoints and the timing noise.
    epochs = max(1, min(args.epochs, int(0.9 * left / (per_step * per_epoch))))
    print(json.dumps({"fit": {"step_s": round(per_step, 5), "epoch_s": round(per_step * per_epoch, 1),
                              "seconds_left": round(left), "epochs": epochs}}), flush=True)
    return epochs


def train(args):
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.pool_seed + 1)
    os.makedirs(args.out, exist_ok=True)
    dev = torch.device(args.device)
    # On a GPU the crops are made there (crop_batch_torch); the CPU path keeps the reference crops of cycles 1-5.
    on_device = dev.type != "cpu" or args.torch_crops

    t0 = time.time()
    imgs, idx, bx = make_pool(args.scenes, args.pool_seed, args.default_frac, args.workers)
    imgs_f = imgs.astype(np.float32) / 255.0
    labels = bx[:, 4].astype(np.int64)
    print(f"pool: {args.scenes} scenes, {len(bx)} items, {time.time() - t0:.0f}s", flush=True)
    if on_device:
        imgs_t = torch.from_numpy(imgs_f).to(dev)
        idx_t = torch.from_numpy(idx).to(dev)
        gen = torch.Generator(device=dev)
        gen.manual_seed(args.pool_seed)

    def batch(sel, rng):
        """Training crops of pool items `sel` (jittered boxes, random flips, optional erasing) and their labels."""
        boxes = jitter(bx[sel], rng, args.jitter)
        flip = torch.from_numpy(rng.random(len(sel)) < 0.5)
        if on_device:
            xb = crop_batch_torch(imgs_t, idx_t[torch.from_numpy(sel).to(dev)], torch.from_numpy(boxes).to(dev)).unsqueeze(1)
            flip = flip.to(dev)
        else:
            xb = torch.from_numpy(crop_batch(imgs_f, idx[sel], boxes)).unsqueeze(1)
        xb[flip] = xb[flip].flip(3)
        if args.erase > 0:
            random_erase(xb, gen if on_device else None, p=args.erase)
        return xb.to(dev).contiguous(memory_format=torch.channels_last), torch.from_numpy(labels[sel]).to(dev)

    v_imgs, v_idx, v_bx = load_set(args.val)
    v_crops = crop_batch(v_imgs.astype(np.float32) / 255.0, v_idx, v_bx[:, :4])
    v_labels = v_bx[:, 4].astype(np.int64)

    widths = tuple(int(w) for w in args.widths.split(","))
    model = ResNetCifar(depth=20, widths=widths)
    if args.init:
        state = torch.load(args.init, map_location="cpu")
        if stage_widths(state) != widths:
            # A wider network than the checkpoint's: Net2WiderNet keeps what it learned (widen.py).
            state = widen_state(state, widths, seed=args.pool_seed, noise=args.widen_noise)
        model.load_state_dict(state)
    model = model.to(dev, memory_format=torch.channels_last)  # ~1.4x faster steps on CPU
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}],
                          lr=args.lr, momentum=0.9, nesterov=True)
    per_epoch = (len(bx) + args.batch - 1) // args.batch
    if args.fit_seconds:
        args.epochs = fit_epochs(args, model, per_epoch, batch, len(bx), t0)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * per_epoch,
                                                pct_start=0.15)
    log, stopped = [], False
    ckpt = os.path.join(args.out, "crop-classifier.pt")
    for epoch in range(args.epochs):
        model.train()
        perm = rng.permutation(len(bx))
        tot, seen = 0.0, 0
        for i in range(0, len(bx), args.batch):
            sel = perm[i:i + args.batch]
            loss = train_step(model, opt, *batch(sel, rng), args.amp)
            sched.step()
            tot += loss.item() * len(sel)
            seen += len(sel)
            # A lent GPU's time is fixed: stop inside the budget with the weights so far, and say so in the record.
            if args.max_seconds and time.time() - t0 > args.max_seconds:
                stopped = True
                break
        acc = evaluate(model, v_crops, v_labels, device=dev)
        log.append({"epoch": epoch + 1, "loss": tot / max(seen, 1), "val_top1": acc, "elapsed_s": round(time.time() - t0),
                    **({"stopped_after_items": seen} if stopped else {})})
        print(json.dumps(log[-1]), flush=True)
        torch.save({k: v.cpu() for k, v in model.state_dict().items()}, ckpt)
        if stopped:
            break

    if not args.no_export:
        onnx_path = os.path.join(args.out, "crop-classifier.fp32.onnx")
        export_onnx(model, onnx_path)
        print("wrote", onnx_path, flush=True)
    python = "/usr/bin/python3" if dev.type == "cpu" else "python3"
    meta = {"model": "crop-classifier", "r": R, "context": CONTEXT, "min_side": MIN_SIDE, "eps": EPS,
            "widths": args.widths, "scenes": args.scenes, "train_seed": args.pool_seed, "init": args.init,
            "default_frac": args.default_frac, "items": int(len(bx)), "epochs": args.epochs, "batch": args.batch,
            "lr": args.lr, "jitter": args.jitter, "erase": args.erase, "amp": args.amp, "device": str(dev),
            "stopped_early": stopped, "fit_seconds": args.fit_seconds, "val": args.val, "log": log, "labels": fmnist.LABELS, "torch": torch.__version__,
            "command": python + " " + " ".join(sys.argv)}
    json.dump(meta, open(os.path.join(args.out, "crop-classifier.train.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
