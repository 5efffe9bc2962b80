// Declarations for a published package (core, react-hooks): tsc emits .d.ts for the package's sources (its
// tsconfig.build.json), only the files reachable from the public entry points are kept (dist/types/), and global types
// a consumer may not have (DOM, Node, WebAssembly) are replaced by the structural ones in dts-shims.d.ts.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * @example
 * ```js
 * await buildDeclarations({ root: '/repo/packages/core/', entries: ['src/index.ts'] });
 * ```
 */
export async function buildDeclarations({ root, entries }) {
  const raw = join(root, 'dist/types-raw');
  const out = join(root, 'dist/types');
  const files = entries;
  const config = join(root, 'dist/tsconfig.dts.json');
  writeFileSync(config, JSON.stringify({ extends: '../tsconfig.build.json', compilerOptions: { outDir: './types-raw', rootDir: '../src' }, files: files.map((f) => `../${f}`) }));
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
  } finally {
    rmSync(config, { force: true });
  }

  const keep = reachable(raw, files.map((f) => f.replace(/^src\//, '').replace(/\.tsx?$/, '.d.ts')));
  mkdirSync(out, { recursive: true });
  for (const f of keep) {
    mkdirSync(dirname(join(out, f)), { recursive: true });
    writeFileSync(join(out, f), withShims(readFileSync(join(raw, f), 'utf8'), f));
  }
  cpSync(new URL('./dts-shims.d.ts', import.meta.url), join(out, SHIMS));
  rmSync(raw, { recursive: true, force: true });
  return { files: keep.length };
}

const SHIMS = 'dts-shims.d.ts';
/** Global names the shims file provides (see dts-shims.d.ts), and textual forms it replaces. */
const SHIMMED = ['AbortSignal', 'URL', 'Blob', 'ImageData', 'ImageBitmap', 'OffscreenCanvas', 'HTMLCanvasElement', 'HTMLImageElement', 'HTMLVideoElement', 'VideoFrame', 'CacheStorage', 'CanvasImageSource', 'Transferable'];
const REWRITES = [
  [/\btypeof fetch\b/g, 'Fetch'],
  [/\bWebAssembly\.Module\b/g, 'WasmModule'],
  [/\bWebAssembly\.Memory\b/g, 'WasmMemory'],
];

/** Rewrites `typeof fetch` / `WebAssembly.*` and imports the shim types a declaration file uses. */
function withShims(text, file) {
  let code = text;
  for (const [re, name] of REWRITES) code = code.replace(re, name);
  const bare = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""');
  const used = [...SHIMMED, ...REWRITES.map(([, n]) => n)].filter((n) => new RegExp(`(?<![.\\w$])${n}\\b`).test(bare));
  const leftover = bare.match(/\bWebAssembly\.\w+|\bGPU[A-Z]\w*/);
  if (leftover) throw new Error(`${file}: public declarations use ${leftover[0]}, which consumers may not have; add it to ${SHIMS}.`);
  if (used.length === 0) return code;
  const rel = relative(dirname(join('/', file)), join('/', SHIMS)).replace(/\.d\.ts$/, '.js');
  return `import type { ${used.join(', ')} } from '${rel.startsWith('.') ? rel : `./${rel}`}';\n${code}`;
}

/** The .d.ts files reachable from `starts` through relative imports (import/export ... from, import('...')). */
function reachable(dir, starts) {
  const seen = new Set();
  const queue = [...starts];
  while (queue.length > 0) {
    const f = queue.pop();
    if (seen.has(f)) continue;
    if (!existsSync(join(dir, f))) throw new Error(`declaration ${f} was not emitted`);
    seen.add(f);
    // Comments (TSDoc examples) mention module paths too: only code counts.
    const text = readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      queue.push(relative(dir, join(dir, dirname(f), m[1].replace(/\.js$/, '.d.ts'))));
    }
  }
  return [...seen].sort();
}
