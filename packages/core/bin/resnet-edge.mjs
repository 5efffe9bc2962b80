#!/usr/bin/env node
// Entry of the `resnet-edge` CLI. Uses the built bundle when present, else runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Node 20 ships relaxed SIMD behind a flag; enabling it before any wasm compiles lets the own engine pick its fastest build.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const dist = new URL('../dist/cli.mjs', import.meta.url);
let mod;
if (existsSync(dist)) mod = await import(dist.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await mod.main(process.argv.slice(2));
