#!/usr/bin/env bash
# Prepares `.device/` (git-ignored through .git/info/exclude) for the real-GPU WebGPU comparison on the lent NVIDIA
# machine, where nothing can be downloaded: Node (xz), the `webgpu` package (Dawn, linux-x64 only), onnxruntime-web's
# JSEP build, the Vulkan loader .debs, and bench/webgpu.ts bundled into one file. About 40 MiB; the device tool carries
# at most 64 MiB with the working tree.
#   bash bench/device/prepare.sh   # then, from the agent: run(command: "bash bench/device/gpu.sh", carry: [".device"])
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >> .git/info/exclude
rm -rf .device && mkdir -p .device/node_modules/webgpu/dist .device/node_modules/onnxruntime-web/dist .device/bench .device/debs
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > .device/node.xz
cp node_modules/webgpu/{package.json,index.js} .device/node_modules/webgpu/
cp -r node_modules/webgpu/dist/linux-x64 .device/node_modules/webgpu/dist/
cp node_modules/onnxruntime-web/package.json .device/node_modules/onnxruntime-web/
cp node_modules/onnxruntime-web/dist/ort.all.min.mjs node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.{mjs,wasm} .device/node_modules/onnxruntime-web/dist/
npx esbuild bench/webgpu.ts --bundle --platform=node --format=esm --external:webgpu --outfile=.device/bench/webgpu.mjs --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
# The two big binaries travel compressed; gpu.sh unpacks them.
xz -T0 -6 .device/node_modules/webgpu/dist/linux-x64/dawn.node .device/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm
# Vulkan loader (the GPU image may lack it); Dawn loads libvulkan.so.1 at run time.
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64-lists'
mkdir -p /tmp/amd64-lists/partial
apt-get $o update -qq >/dev/null
(cd .device/debs && apt-get $o download libvulkan1 >/dev/null)
du -sh .device
