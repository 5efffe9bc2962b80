/**
 * Builds the demo into examples/demo/dist: the page bundle (React + hooks, no runtime), the worker
 * bundle (core runtime; onnxruntime-web split into a lazily loaded chunk) and sample images.
 *   node --import tsx examples/demo/build.ts
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { fashionItemPng, scenePng } from './samples.js';

const here = dirname(fileURLToPath(import.meta.url));
export const DEMO_DIST = join(here, 'dist');
export const REPO_ROOT = join(here, '..', '..');

/**
 * @example
 * ```ts
 * await buildDemo({ minify: false });
 * ```
 */
export async function buildDemo(options: { outdir?: string; minify?: boolean } = {}): Promise<string> {
  const outdir = options.outdir ?? DEMO_DIST;
  const minify = options.minify ?? true;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(join(outdir, 'samples'), { recursive: true });
  const common = {
    bundle: true,
    format: 'esm' as const,
    platform: 'browser' as const,
    target: 'es2022',
    outdir,
    minify,
    sourcemap: true,
    logLevel: 'warning' as const,
    // Node-only branches of core (file: URLs) are never taken in a browser.
    external: ['node:*'],
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
  };
  await build({ ...common, entryPoints: { app: join(here, 'src/main.tsx') }, jsx: 'automatic' });
  await build({
    ...common,
    entryPoints: { worker: join(REPO_ROOT, 'packages/core/src/web-worker/worker-entry.ts') },
    splitting: true,
    // Flat chunk names: onnxruntime-web looks for its .wasm next to its own chunk (served from node_modules).
    chunkNames: '[name]-[hash]',
  });
  await copyFile(join(here, 'index.html'), join(outdir, 'index.html'));
  await copyFile(join(here, 'src/styles.css'), join(outdir, 'styles.css'));
  for (const i of [0, 1, 2]) await writeFile(join(outdir, 'samples', `item-${i}.png`), fashionItemPng(i).png);
  await writeFile(join(outdir, 'samples', 'scene.png'), scenePng().png);
  return outdir;
}

/** Where the model packages are served from (`RESNET_EDGE_MODELS_DIR` overrides the repo's models/). */
export const MODELS_DIR = process.env.RESNET_EDGE_MODELS_DIR ?? join(REPO_ROOT, 'models');

/** Static routes that serve the built demo, the model packages and onnxruntime-web's wasm. */
export function demoRoutes(options: { outdir?: string; modelsDir?: string } = {}): { prefix: string; dir: string }[] {
  return [
    { prefix: '/', dir: options.outdir ?? DEMO_DIST },
    { prefix: '/models/', dir: options.modelsDir ?? MODELS_DIR },
    { prefix: '/', dir: join(REPO_ROOT, 'node_modules/onnxruntime-web/dist') },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildDemo();
  console.log(`built ${out}`);
}
