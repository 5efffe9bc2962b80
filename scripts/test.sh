#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what it needs (apt + npm), then runs every tier.
# README's test command and .ci/run both call this through `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in chromium libonnx-testdata dataset-fashion-mnist python3-torch python3-torchvision python3-onnx python3-skimage python3-venv; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# apt-get, waiting for a busy apt/dpkg lock (unattended upgrades, another install) instead of failing at once: apt waits
# on the dpkg lock itself (DPkg::Lock::Timeout); a lock it does not wait for (the package lists) is retried here.
# Shows what it fetches, unpacks and sets up.
apt_wait() {
  local tries=0 log status
  log=$(mktemp)
  while :; do
    set +e
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1 | tee "$log" | grep --line-buffered -E '^(Get:|Unpacking |Setting up )'
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -eq 0 ]; then rm -f "$log"; return 0; fi
    if grep -qiE 'could not get lock|unable to lock|is another process using it' "$log" && [ $tries -lt 60 ]; then
      tries=$((tries + 1))
      echo "[test] apt is busy (another process holds its lock); retrying in ${APT_RETRY_SECONDS:-10} s ($tries/60)"
      sleep "${APT_RETRY_SECONDS:-10}"
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    return "$status"
  done
}
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[test] installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  apt_wait update -q
  apt_wait install -y -q "${need_apt[@]}"
  echo "[test] installed: ${need_apt[*]}"
fi

# onnxruntime-node's install script downloads from a host this network cannot reach; its CPU build ships inside the package.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] npm ci"
  # The registry connection here drops now and then (ECONNRESET mid-download): retry before failing the run.
  for attempt in 1 2 3; do
    npm ci --no-audit --no-fund && break
    [ "$attempt" = 3 ] && exit 1
    echo "[test] npm ci failed (attempt $attempt); retrying in 10 s"
    sleep 10
  done
fi

# Python venv for the bring-your-own-model tests (test/node/bring-your-own): transformers' ResNet/DETR exports and its image
# processors need torch >= 2.5 (Debian's is 1.13); everything comes from the local pip mirror / wheel folder, cached.
HF_VENV="$HOME/.cache/resnet-edge/venv-hf"
HF_REQS="torch==2.13.0 transformers==5.18.0 pillow onnx onnxruntime onnxscript"
if [ "$(cat "$HF_VENV/.ready" 2>/dev/null)" != "$HF_REQS" ]; then
  echo "[test] python venv $HF_VENV ($HF_REQS)"
  rm -rf "$HF_VENV"
  /usr/bin/python3 -m venv "$HF_VENV"
  "$HF_VENV/bin/pip" install -q $HF_REQS
  echo "$HF_REQS" > "$HF_VENV/.ready"
fi

echo "[test] typecheck"
npx tsc -p tsconfig.json --noEmit

echo "[test] core import graph: no cycles, no upward imports, no test helpers in shipped code"
node scripts/import-graph.mjs | tail -n 5

echo "[test] committed engine binaries (wasm/build, engine-binaries.generated.ts) match a fresh build of wasm/assembly"
node packages/core/wasm/build.mjs --check

echo "[test] unit + Node integration tests (own engine picks relaxed SIMD only where validated)"
npx vitest run

echo "[test] fuzz tier: seeded hostile images and damaged models, each case in a child process with time and memory limits"
npm run test:fuzz

echo "[test] own WASM engine again with relaxed SIMD enabled (--experimental-wasm-relaxed-simd)"
npx vitest run -c packages/core/wasm/vitest.relaxed.config.ts

echo "[test] browser tests (headless Debian Chromium: core, own WebGPU, React demo)"
npx vitest run --config test/browser/vitest.config.ts
echo "[test] Cloudflare Worker in real workerd (wrangler dev on 127.0.0.1)"
npm run test:workerd -w @resnet-edge/worker
echo "[test] consumer tier: npm pack every package, install the tarballs into apps outside the workspace, run them"
npm run test:consumer
echo "[test] all tiers passed"
