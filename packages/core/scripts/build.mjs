// Bundles @resnet-edge/core with esbuild: an ESM library build (browser + Node + Workers) and the Node CLI.
// onnxruntime-web stays external: it is only reached through a dynamic import, so apps on the own engines never ship it.
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
mkdirSync(`${root}dist`, { recursive: true });

const common = { bundle: true, format: 'esm', sourcemap: true, target: 'es2022', logLevel: 'warning', absWorkingDir: root };

await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  platform: 'neutral',
  mainFields: ['module', 'main'],
  external: ['onnxruntime-web', 'onnxruntime-web/*', 'node:*'],
  minify: true,
  splitting: true,
});

await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  external: ['onnxruntime-web', 'onnxruntime-node'],
});

const size = (f) => {
  const b = readFileSync(`${root}dist/${f}`);
  return `${f}: ${(statSync(`${root}dist/${f}`).size / 1024).toFixed(1)} KiB (${(gzipSync(b).length / 1024).toFixed(1)} KiB gzip)`;
};
console.log(size('index.mjs'));
console.log(size('cli.mjs'));
