#!/usr/bin/env node
// Entry of the `resnet-edge` CLI. The published package runs the built bundle (dist/cli.js); a checkout of the
// repository (sources present) runs the TypeScript sources through tsx, so it never runs a stale build.
import { existsSync } from 'node:fs';

// Relaxed SIMD stays off here on purpose: Node 20 keeps it behind a flag, and on its V8 the relaxed build measured slower than
// SIMD128 (BENCHMARKS.md), so the CLI runs the SIMD128 engine.

const source = new URL('../src/cli/main.ts', import.meta.url);
let mod;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  // The repo's tsconfig maps workspace packages to their sources, whatever the current directory.
  register({ tsconfig: new URL('../../../tsconfig.json', import.meta.url).pathname });
  mod = await import(source.href);
} else {
  mod = await import(new URL('../dist/cli.js', import.meta.url).href);
}
process.exitCode = await mod.main(process.argv.slice(2));
