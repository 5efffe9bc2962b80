#!/usr/bin/env bash
# Runs on the lent NVIDIA machine (prepared by bench/device/prepare.sh): own int8 WebGPU vs onnxruntime-web WebGPU
# (fp32 and QDQ models), ResNet-18 and ResNet-50, batch 1 and 8, through Node + Dawn on the real GPU's Vulkan driver.
# Models are exported there (torch/torchvision are in its image) and quantized by our TS quantizer. Results: $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
for f in .device/debs/*.deb; do dpkg -x "$f" /; done; ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
mkdir -p /tmp/node/bin && xz -dc .device/node.xz > /tmp/node/bin/node && chmod +x /tmp/node/bin/node
export PATH=/tmp/node/bin:$PATH PYTHON=${PYTHON:-python3}
for f in .device/node_modules/webgpu/dist/linux-x64/dawn.node.xz .device/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm.xz; do
  [ -f "$f" ] && xz -d "$f"
done
# The machine starts bare (node_modules does not travel); never replace a real one.
[ -e node_modules ] || ln -s .device/node_modules node_modules
cp .device/bench/webgpu.mjs bench/webgpu.device.mjs
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
R="$OUT/webgpu-gpu.json"
for arch in resnet18 resnet50; do
  for batch in 1 8; do
    timeout 240 node bench/webgpu.device.mjs --icd system --arch $arch --batch $batch --iters 20 --warmup 3 --out "$R" 2>&1 | tail -5
  done
done
cat "$R"
