#!/usr/bin/env bash
# Runs on the lent NVIDIA machine (prepared by models/train/device/prepare.sh; its image has PyTorch): trains a wider
# second-stage crop classifier than 2 CPU cores can (random erasing, bf16, crops made on the GPU) and returns the
# checkpoint and its training record in $OUT/crop-w/. The epoch count is fitted to FIT seconds, so the one-cycle
# schedule completes inside the call. Back here: models/train/README-detector.md, stage 8, "GPU run".
# Knobs: WIDTHS (32,64,128), SCENES (60000), FIT (400 s), EPOCHS (at most; 60), LR (0.1), ERASE (0.5), SEED (7101).
set -uo pipefail
cd "$(dirname "$0")/../../.."
export FMNIST_DIR=$PWD/.device-train/fmnist PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
python3 -c "import torch, numpy; print('torch', torch.__version__, 'numpy', numpy.__version__, torch.cuda.get_device_name())"
python3 models/train/crop_classifier.py --device cuda --amp --workers "$(nproc)" --threads 4 \
  --widths "${WIDTHS:-32,64,128}" --scenes "${SCENES:-60000}" --epochs "${EPOCHS:-60}" --fit-seconds "${FIT:-400}" \
  --batch 256 --lr "${LR:-0.1}" --erase "${ERASE:-0.5}" --default-frac 0.5 --pool-seed "${SEED:-7101}" \
  --val .device-train/sets/val-500 --max-seconds "$(( ${FIT:-400} + 60 ))" --no-export --out "$OUT/crop-w" 2>&1 | tee "$OUT/train.log"
