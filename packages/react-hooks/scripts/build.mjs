// Builds the publishable @resnet-edge/react-hooks into dist/ (`npm run build`, `prepack`): ESM from esbuild with React
// and @resnet-edge/core external (the app's copies are used), and .d.ts compiled against core's published types.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildDeclarations } from '../../../scripts/build/dts.mjs';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(new URL('../core/dist/types/web-worker/index.d.ts', `file://${root}`))) {
  throw new Error('Build @resnet-edge/core first (npm run build -w @resnet-edge/core): the hooks are typed against its dist/.');
}
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  jsx: 'automatic',
  minify: false,
  // Bare imports (react, @resnet-edge/core/web-worker) stay imports: resolved by the app's bundler.
  packages: 'external',
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
  legalComments: 'none',
});
await buildDeclarations({ root, entries: ['src/index.ts'] });

const js = readFileSync(`${root}dist/index.js`);
console.log(`dist/index.js: ${(js.length / 1024).toFixed(1)} KiB (${(gzipSync(js).length / 1024).toFixed(1)} KiB gzip)`);
