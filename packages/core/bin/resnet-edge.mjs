#!/usr/bin/env node
// Entry of the `resnet-edge` CLI. Uses the built bundle when present, else runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

// Relaxed SIMD stays off here on purpose: Node 20 keeps it behind a flag, and on its V8 the relaxed build measured slower than
// SIMD128 (BENCHMARKS.md), so the CLI runs the SIMD128 engine.

const dist = new URL('../dist/cli.mjs', import.meta.url);
let mod;
if (existsSync(dist)) mod = await import(dist.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await mod.main(process.argv.slice(2));
