"""Deterministic synthetic detection scenes built from real Fashion-MNIST items.

Each scene is a SIZE x SIZE grayscale uint8 canvas with 0..8 Fashion-MNIST items (train split items for
training scenes, t10k items for the held-out split) at random scale and position, on a cluttered
background (gradient, Gaussian noise, strokes, blobs and item fragments). Items are composited with a
pixel-wise maximum (white-on-black, like the source data), so overlaps are limited to keep every item
visible. Ground truth = tight box of the item's visible pixels after scaling, in pixel-edge coordinates
(xmax = last column + 1), plus the Fashion-MNIST class index.

Scene i of a split depends only on (seed, i): numpy's default_rng([seed, i]) drives it, so any subset can
be regenerated exactly.

Usage (writes the held-out split and the committed TS fixture):
  /usr/bin/python3 models/train/scenes.py --split t10k --count 500 --seed 1234 \
      --out models/train/out/scenes-heldout-500 --fixture packages/core/test-fixtures/detection/heldout-200 \
      --fixture-count 200
Shifted sets: --preset bright|textured|small|dense (see PRESETS); training augmentation: random_style().
"""
import argparse
import gzip
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import fmnist  # noqa: E402

SIZE = 96
MIN_SCALE, MAX_SCALE = 14, 48  # side of the scaled 28x28 item, px
MAX_ITEMS = 8
VISIBLE = 8  # uint8 level above which a scaled item pixel counts as part of the object (drops resize haze)
HELDOUT_SEED = 1234

_cache = {}


def _items(split):
    if split not in _cache:
        _cache[split] = fmnist.load(split)
    return _cache[split]


def _resize_matrix(n_out, n_in):
    """Linear (triangle) resampling matrix, widened when downscaling so it antialiases."""
    scale = n_in / n_out
    support = max(1.0, scale)
    centers = (np.arange(n_out) + 0.5) * scale - 0.5
    src = np.arange(n_in)
    w = np.maximum(0.0, 1.0 - np.abs(src[None, :] - centers[:, None]) / support)
    w /= np.maximum(w.sum(1, keepdims=True), 1e-8)
    return w


def resize(img, h, w):
    """Separable antialiased bilinear resize of a 2-D float array."""
    return _resize_matrix(h, img.shape[0]) @ img @ _resize_matrix(w, img.shape[1]).T


def _smooth_noise(rng, sigma):
    """White noise blurred by a separable Gaussian of `sigma` px (wrap-around), scaled to unit std."""
    r = int(3 * sigma) + 1
    k = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma * sigma))
    k /= k.sum()
    n = rng.normal(0, 1, size=(SIZE, SIZE))
    n = sum(w * np.roll(n, d, axis=0) for d, w in zip(range(-r, r + 1), k))
    n = sum(w * np.roll(n, d, axis=1) for d, w in zip(range(-r, r + 1), k))
    return n / max(float(n.std()), 1e-6)


def _texture(rng, amplitude):
    """A background texture: blurred noise (cloth/paper-like), a sine grating (stripes, weave) or both."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    kind = int(rng.integers(0, 3))
    amp = rng.uniform(*amplitude)
    t = np.zeros((SIZE, SIZE))
    if kind in (0, 2):
        t += _smooth_noise(rng, rng.uniform(0.7, 4.0))
    if kind in (1, 2):
        theta, period, phase = rng.uniform(0, np.pi), rng.uniform(3, 16), rng.uniform(0, 2 * np.pi)
        t += np.sin(2 * np.pi * (xx * np.cos(theta) + yy * np.sin(theta)) / period + phase)
    return amp * t / max(float(np.abs(t).max()), 1e-6)


def _background(rng, style):
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE
    base = rng.uniform(*style["bg"])
    gx, gy = rng.uniform(-25, 25, size=2)
    bg = base + gx * (xx - 0.5) + gy * (yy - 0.5)
    # Drawn only when texture is on, so the default style's random stream (and every existing set) is unchanged.
    if style["texture"] > 0 and rng.random() < style["texture"]:
        bg = bg + _texture(rng, style["texture_amp"])
    return np.clip(bg, 0, 255)


def _stroke(canvas, rng):
    x0, y0, x1, y1 = rng.uniform(0, SIZE, size=4)
    n = int(max(abs(x1 - x0), abs(y1 - y0)) * 2) + 2
    t = np.linspace(0, 1, n)
    xs, ys = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
    level = rng.uniform(40, 200)
    thick = int(rng.integers(1, 3))
    for dx in range(thick):
        for dy in range(thick):
            xi = np.clip((xs + dx).astype(int), 0, SIZE - 1)
            yi = np.clip((ys + dy).astype(int), 0, SIZE - 1)
            canvas[yi, xi] = np.maximum(canvas[yi, xi], level)


def _blob(canvas, rng):
    cx, cy = rng.uniform(0, SIZE, size=2)
    sigma = rng.uniform(2, 6)
    amp = rng.uniform(30, 150)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    g = amp * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * sigma * sigma))
    np.maximum(canvas, g, out=canvas)


def _overlaps(box, boxes, limit):
    """True if `box` overlaps any of `boxes` by more than `limit` of the smaller box's area, or IoU > 0.25."""
    x0, y0, x1, y1 = box
    a = (x1 - x0) * (y1 - y0)
    for b in boxes:
        iw = min(x1, b[2]) - max(x0, b[0])
        ih = min(y1, b[3]) - max(y0, b[1])
        if iw <= 0 or ih <= 0:
            continue
        inter = iw * ih
        ab = (b[2] - b[0]) * (b[3] - b[1])
        if inter / min(a, ab) > limit or inter / (a + ab - inter) > 0.25:
            return True
    return False


# Scene style: the generator's knobs. DEFAULT_STYLE reproduces the original generator byte for byte (all committed
# and cached sets); the shifted evaluation sets and the training augmentation change only these.
DEFAULT_STYLE = {
    "bg": (0.0, 40.0),          # background base level (uint8), plus a +-12.5 gradient
    "texture": 0.0,             # probability of a background texture
    "texture_amp": (10.0, 35.0),  # texture peak amplitude (uint8 levels)
    "scale": (MIN_SCALE, MAX_SCALE),  # item side, px
    "items": (0, MAX_ITEMS),    # items attempted per scene
    "contrast": (0.7, 1.0),     # item intensity factor
    "strokes": 3, "blobs": 2, "fragments": 2,  # clutter: at most this many of each
    "noise": 12.0,              # max Gaussian noise sigma
}

# Shifted evaluation sets (t10k items, fresh seeds): each changes one thing the original training never saw.
PRESETS = {
    "default": {},
    "bright": {"bg": (50.0, 100.0)},
    "textured": {"texture": 1.0},
    "small": {"scale": (11, 38)},
    "dense": {"items": (6, 12)},
}


def style_of(preset="default", **overrides):
    st = dict(DEFAULT_STYLE)
    st.update(PRESETS[preset])
    st.update(overrides)
    return st


def random_style(rng):
    """Training augmentation: a random style per scene, covering and exceeding the shifted sets' ranges."""
    lo = rng.uniform(0, 90)
    hi = lo + rng.uniform(5, 40)
    smin = int(rng.integers(9, 15))
    nmax = int(rng.integers(4, 13))
    return style_of(
        bg=(lo, hi),
        texture=0.5,
        texture_amp=(5.0, 45.0),
        scale=(smin, int(rng.integers(max(smin + 8, 30), 53))),
        items=(int(rng.integers(0, nmax // 2 + 1)), nmax),
        # Items are composited by max: keep their peak well above the background so none is invisible.
        contrast=(min(0.9, max(rng.uniform(0.35, 0.8), (hi + 60) / 255)), 1.0),
        strokes=int(rng.integers(0, 6)), blobs=int(rng.integers(0, 4)), fragments=int(rng.integers(0, 5)),
        noise=rng.uniform(0, 16),
    )


def make_scene(split, seed, index, style=None):
    """Returns (uint8 [SIZE,SIZE] image, float32 [k,5] boxes xmin,ymin,xmax,ymax,class)."""
    images, labels = _items(split)
    rng = np.random.default_rng([seed, index])
    st = DEFAULT_STYLE if style is None else style
    canvas = _background(rng, st)
    for _ in range(int(rng.integers(0, st["strokes"] + 1))):
        _stroke(canvas, rng)
    for _ in range(int(rng.integers(0, st["blobs"] + 1))):
        _blob(canvas, rng)

    boxes = []
    layer = np.zeros((SIZE, SIZE), np.float32)
    for _ in range(int(rng.integers(st["items"][0], st["items"][1] + 1))):
        for _attempt in range(30):
            k = int(rng.integers(0, len(images)))
            s = int(rng.integers(st["scale"][0], st["scale"][1] + 1))
            aspect = rng.uniform(0.85, 1.15)
            h, w = max(8, int(round(s * aspect))), max(8, int(round(s / aspect)))
            item = resize(images[k].astype(np.float32), h, w) * rng.uniform(*st["contrast"])
            if rng.random() < 0.5:
                item = item[:, ::-1]
            ys, xs = np.nonzero(item > VISIBLE)
            if len(xs) == 0:
                break
            px = int(rng.integers(-int(xs.min()), SIZE - int(xs.max())))
            py = int(rng.integers(-int(ys.min()), SIZE - int(ys.max())))
            box = (px + xs.min(), py + ys.min(), px + xs.max() + 1, py + ys.max() + 1)
            if _overlaps(box, boxes, 0.4):
                continue
            # Paste only the visible region so the canvas pixels outside the box stay background.
            patch = np.where(item > VISIBLE, item, 0)
            y0, x0 = max(py, 0), max(px, 0)
            y1, x1 = min(py + h, SIZE), min(px + w, SIZE)
            sub = patch[y0 - py:y1 - py, x0 - px:x1 - px]
            np.maximum(layer[y0:y1, x0:x1], sub, out=layer[y0:y1, x0:x1])
            boxes.append((*box, int(labels[k])))
            break

    # Item fragments: hard negatives, kept off the real items so their boxes stay tight.
    for _ in range(int(rng.integers(0, st["fragments"] + 1))):
        for _attempt in range(10):
            k = int(rng.integers(0, len(images)))
            fh, fw = rng.integers(6, 13, size=2)
            fy, fx = rng.integers(0, 28 - fh + 1), rng.integers(0, 28 - fw + 1)
            frag = images[k, fy:fy + fh, fx:fx + fw].astype(np.float32)
            f = rng.uniform(0.6, 1.4)
            frag = resize(frag, max(3, int(fh * f)), max(3, int(fw * f)))
            hh, ww = frag.shape
            px, py = int(rng.integers(0, SIZE - ww + 1)), int(rng.integers(0, SIZE - hh + 1))
            if _overlaps((px, py, px + ww, py + hh), boxes, 0.05):
                continue
            np.maximum(canvas[py:py + hh, px:px + ww], frag, out=canvas[py:py + hh, px:px + ww])
            break

    canvas = np.maximum(canvas, layer)
    canvas += rng.normal(0, rng.uniform(0, st["noise"]), size=canvas.shape)
    img = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
    arr = np.array(boxes, np.float32).reshape(-1, 5)
    return img, arr


def make_scenes(split, count, seed, start=0, style=None):
    imgs = np.empty((count, SIZE, SIZE), np.uint8)
    all_boxes = []
    for i in range(count):
        imgs[i], b = make_scene(split, seed, start + i, style)
        all_boxes.append(b)
    return imgs, all_boxes


def write_set(prefix, imgs, boxes, split, seed, preset="default"):
    """Writes <prefix>.u8.gz (raw N*H*W uint8) and <prefix>.json (sizes, labels, boxes)."""
    os.makedirs(os.path.dirname(prefix) or ".", exist_ok=True)
    with gzip.GzipFile(prefix + ".u8.gz", "wb", mtime=0) as f:
        f.write(imgs.tobytes())
    meta = {
        "format": "resnet-edge-detection-scenes/1",
        "images": os.path.basename(prefix) + ".u8.gz",
        "count": int(len(imgs)), "width": SIZE, "height": SIZE, "channels": 1,
        "source": f"Fashion-MNIST {split} items, scenes.py seed {seed}"
                  + ("" if preset == "default" else f" --preset {preset} {json.dumps(PRESETS[preset])}"),
        "boxFormat": "xyxy pixel-edge (xmax = last column + 1)",
        "labels": fmnist.LABELS,
        "scenes": [[[int(v) for v in row] for row in b] for b in boxes],
    }
    with open(prefix + ".json", "w") as f:
        json.dump(meta, f, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="t10k")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=HELDOUT_SEED)
    ap.add_argument("--out", default="models/train/out/scenes-heldout-500")
    ap.add_argument("--fixture", default="")
    ap.add_argument("--fixture-count", type=int, default=200)
    ap.add_argument("--preset", default="default", choices=sorted(PRESETS), help="scene style (shifted sets)")
    args = ap.parse_args()
    imgs, boxes = make_scenes(args.split, args.count, args.seed, style=style_of(args.preset))
    write_set(args.out, imgs, boxes, args.split, args.seed, args.preset)
    if args.fixture:
        n = args.fixture_count
        write_set(args.fixture, imgs[:n], boxes[:n], args.split, args.seed, args.preset)
    print(json.dumps({"scenes": len(imgs), "objects": int(sum(len(b) for b in boxes))}))


if __name__ == "__main__":
    main()
