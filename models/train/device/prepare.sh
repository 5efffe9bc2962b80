#!/usr/bin/env bash
# Stages what the lent GPU needs to train the detector's second stage, in `.device-train/` (git-ignored through
# .git/info/exclude; about 31 MiB, the device tool carries at most 64 MiB): Fashion-MNIST's IDX files (Debian's
# dataset-fashion-mnist; nothing can be downloaded there) and the validation and evaluation scene sets (carried, not
# regenerated: NumPy 2 on the GPU image draws slightly different scenes from the same seeds than Debian's NumPy 1).
#   bash models/train/device/prepare.sh
#   then, from the agent: run(command: "bash models/train/device/train-crop.sh", carry: [".device-train"], timeout_s: 560)
set -euo pipefail
cd "$(dirname "$0")/../../.."
grep -qx '/.device-train/' .git/info/exclude 2>/dev/null || echo '/.device-train/' >> .git/info/exclude
rm -rf .device-train && mkdir -p .device-train/fmnist .device-train/sets
cp "${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}"/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz .device-train/fmnist/
for s in val-500 fresh-500; do
  [ -f "models/train/out/sets/$s.json" ] || /usr/bin/python3 models/train/scenes.py --split t10k --count 500 \
    --seed "$([ $s = val-500 ] && echo 6001 || echo 5001)" --out "models/train/out/sets/$s"
  cp "models/train/out/sets/$s".{json,u8.gz} .device-train/sets/
done
du -sh .device-train
