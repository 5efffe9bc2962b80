"""Scores the SDK's detections with pycocotools (the COCO reference implementation) and compares with the SDK's own
evaluateDetections figures recorded next to them by eval-detector.ts --dump.

Both see the same ground truth (the scene set's json) and the same detection lists, so any difference is a
difference between the two mAP implementations. COCO settings: bbox IoU, all areas, maxDets 100, 101 recall points,
categories = the 10 Fashion-MNIST classes (classes without ground truth are left out of the mean by both).

Usage (needs a venv with pycocotools: python3 -m venv ~/.cache/resnet-edge/venv-coco &&
~/.cache/resnet-edge/venv-coco/bin/pip install pycocotools numpy):
  npx tsx models/train/eval-detector.ts --dump models/train/out/eval
  ~/.cache/resnet-edge/venv-coco/bin/python models/train/coco_check.py models/train/out/eval
"""
import contextlib
import glob
import io
import json
import os
import sys

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def coco_gt(set_json):
    meta = json.load(open(set_json))
    labels = meta["labels"]
    images, anns = [], []
    for i, boxes in enumerate(meta["scenes"]):
        images.append({"id": i + 1, "width": meta["width"], "height": meta["height"]})
        for x0, y0, x1, y1, c in boxes:
            w, h = x1 - x0, y1 - y0
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": int(c) + 1, "bbox": [x0, y0, w, h],
                         "area": w * h, "iscrowd": 0})
    gt = COCO()
    gt.dataset = {"images": images, "annotations": anns,
                  "categories": [{"id": k + 1, "name": n} for k, n in enumerate(labels)]}
    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()
    return gt, {n: k + 1 for k, n in enumerate(labels)}


def coco_map(gt, cat_of, predictions):
    dets = [{"image_id": i + 1, "category_id": cat_of[d["label"]], "score": d["score"],
             "bbox": [d["box"]["xmin"], d["box"]["ymin"], d["box"]["xmax"] - d["box"]["xmin"],
                      d["box"]["ymax"] - d["box"]["ymin"]]}
            for i, ds in enumerate(predictions) for d in ds]
    with contextlib.redirect_stdout(io.StringIO()):
        dt = gt.loadRes(dets) if dets else COCO()
        ev = COCOeval(gt, dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    # stats[0] = AP@[.5:.95], stats[1] = AP@0.5 (all areas, maxDets 100).
    return float(ev.stats[1]), float(ev.stats[0])


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "models/train/out/eval"
    rows, worst = [], 0.0
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        d = json.load(open(path))
        gt, cat_of = coco_gt(d["set"] + ".json")
        m50, m = coco_map(gt, cat_of, d["predictions"])
        ours = d["metrics"]
        diff = max(abs(m50 - ours["map50"]), abs(m - ours["map50_95"]))
        worst = max(worst, diff)
        rows.append({"file": os.path.basename(path), "pycocotools_map50": round(m50, 4), "sdk_map50": round(ours["map50"], 4),
                     "pycocotools_map50_95": round(m, 4), "sdk_map50_95": round(ours["map50_95"], 4),
                     "max_abs_diff": diff})
        print(json.dumps(rows[-1]), flush=True)
    print(json.dumps({"files": len(rows), "max_abs_diff": worst, "agree_to_1e-3": worst <= 1e-3}))


if __name__ == "__main__":
    main()
