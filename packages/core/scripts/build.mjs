// Builds the publishable @resnet-edge/core into dist/ (run by `npm run build` and `prepack`):
// - one ESM build (esbuild, code splitting) for browsers, Workers and Node alike: library code reaches Node built-ins
//   only through process.getBuiltinModule at call time, so no bundler ever sees a `node:` import; the CLI entry,
//   reached only from bin/, imports Node modules statically;
// - dependencies, the optional onnxruntime-web peer and @resnet-edge/models stay external (consumers' bundlers
//   deduplicate them and split each model into its own lazily loaded chunk);
// - .d.ts from tsc (the repo's scripts/build/dts.mjs), the engine .wasm files for Workers, and a CommonJS stub that
//   explains how to load an ESM-only package.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildDeclarations } from '../../../scripts/build/dts.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist/`;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/** Public entry points: dist/<name>.js. The exports map in package.json lists the same names. */
export const ENTRIES = {
  index: 'src/index.ts',
  'web-worker': 'src/web-worker/index.ts',
  'worker-entry': 'src/web-worker/worker-entry.ts',
  quantize: 'src/quantizer/index.ts',
  model: 'src/package/index.ts',
  cli: 'src/cli/main.ts',
};

// Bare specifiers left to the consumer: dependencies, the optional peer, Node built-ins (CLI only). Marked here, before
// tsconfig paths could map them to the repo's sources.
const externalPackages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), 'onnxruntime-node'];
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const p = args.path;
      if (p.startsWith('node:') || externalPackages.some((name) => p === name || p.startsWith(`${name}/`))) return { path: p, external: true };
      return undefined;
    });
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  // Readable output: consumers minify in their own build; no source maps (they would point at unshipped sources).
  minify: false,
  // Flat chunk names: web-worker's `new URL('./worker-entry.js', import.meta.url)` resolves from any chunk.
  chunkNames: '[name]-[hash]',
  plugins: [externals],
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

// A `node:` import anywhere except the CLI's own files would break browser and Worker bundles: refuse to ship it.
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (file === 'dist/cli.js') continue;
  const node = out.imports.filter((i) => i.path.startsWith('node:'));
  if (node.length > 0 && !isCliOnly(file)) throw new Error(`${file} imports ${node.map((i) => i.path).join(', ')}: library code must not import node: modules.`);
}
function isCliOnly(file) {
  // A chunk reached only from the CLI entry may import Node modules.
  const importers = Object.entries(result.metafile.outputs).filter(([, o]) => o.imports.some((i) => i.path === file));
  return importers.length > 0 && importers.every(([f]) => f === 'dist/cli.js' || isCliOnly(f));
}

// Engine builds for Cloudflare Workers (`import engine from '@resnet-edge/core/wasm/engine-simd.wasm'`), and the entry
// the "workerd" condition resolves to, which imports one of them as a precompiled module.
mkdirSync(`${dist}wasm`, { recursive: true });
for (const f of readdirSync(`${root}wasm/build`)) if (f.endsWith('.wasm')) copyFileSync(`${root}wasm/build/${f}`, `${dist}wasm/${f}`);
copyFileSync(`${root}scripts/workerd-entry.js`, `${dist}index.workerd.js`);

writeFileSync(
  `${dist}require-error.cjs`,
  `// @resnet-edge/core is an ES module package. Node >= 20.19 loads it from require() too (the "module-sync" export
// condition); this file is what older CommonJS loaders resolve instead, so they fail with an explanation.
throw new Error(
  "@resnet-edge/core is ESM-only. Use \`import { load } from '@resnet-edge/core'\` (or \`await import('@resnet-edge/core')\` from " +
    'CommonJS), or run Node >= 20.19, whose require() loads ES modules.',
);
`,
);

await buildDeclarations({ root, entries: Object.entries(ENTRIES).filter(([name]) => name !== 'cli').map(([, src]) => src) });

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
let total = 0;
for (const f of readdirSync(dist)) {
  if (!f.endsWith('.js')) continue;
  const bytes = readFileSync(`${dist}${f}`);
  total += bytes.length;
  if (f in ENTRIES || `${f.slice(0, -3)}` in ENTRIES) console.log(`dist/${f}: ${kib(statSync(`${dist}${f}`).size)} (${kib(gzipSync(bytes).length)} gzip, plus shared chunks)`);
}
console.log(`dist/*.js total: ${kib(total)}`);
