/**
 * Renders the package-size section of BENCHMARKS.md from the consumer tier's last run (test-artifacts/consumer/:
 * packed.json and sizes-*.json, written by `npm run test:consumer`):
 *   node --import tsx test/consumer/size-table.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, REPO_ROOT, type PackedPackage } from './consumer-app.js';
import { BUDGETS, type SizeRecord } from './sizes.js';

const START = '<!-- package-size:start -->';
const END = '<!-- package-size:end -->';
const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;

/**
 * The markdown section (with its markers).
 *
 * @example
 * ```ts
 * const md = sizeTable({ packed, sizes });
 * ```
 */
export function sizeTable(o: { packed: PackedPackage[]; sizes: SizeRecord[]; date: string }): string {
  const budget = (what: string): string => {
    if (/^(esbuild|Vite) app/.test(what)) return `<= ${kb(BUDGETS.browserApp)}`;
    if (/hooks package alone/.test(what)) return `<= ${kb(BUDGETS.hooksOnTopOfCore)}`;
    return '';
  };
  const rows = o.sizes.map((s) => `| ${s.what} | ${kb(s.gzip)} | ${budget(s.what)} |`);
  const tarballs = o.packed.map(
    (p) => `| \`${p.name}\` | ${kb(p.size)} | ${kb(p.unpackedSize)} | ${p.files.length} | ${p.name === '@resnet-edge/core' ? `<= ${kb(BUDGETS.coreTarball)}` : ''} |`,
  );
  return [
    START,
    `Measured by the consumer tier (\`npm run test:consumer\`, ${o.date}): the packages packed with \`npm pack\`, installed from`,
    'the tarballs into apps outside the workspace, bundled there (esbuild 0.28 `--splitting --minify`, Vite 8, webpack 5) and run',
    'in headless Chromium. Sizes are gzip -9 of the files each page actually downloaded. The tier fails when a budget is',
    `exceeded. Regenerate this section with \`node --import tsx test/consumer/size-table.ts\` (machine: ${cpus()[0]?.model ?? 'unknown'}).`,
    '',
    '| bundle | gzip | budget |',
    '|---|---|---|',
    ...rows,
    '',
    'The hooks budget applies to the hooks themselves; the main-thread row adds what any Web Worker use of core carries',
    "(core's worker client, comlink, the lazy model loader). The inference worker script and the model chunks load in",
    'the background on first use. KB = 1000 bytes.',
    '',
    '| tarball | packed | unpacked | files | budget |',
    '|---|---|---|---|---|',
    ...tarballs,
    END,
  ].join('\n');
}

const packed = JSON.parse(readFileSync(join(ARTIFACTS, 'packed.json'), 'utf8')) as PackedPackage[];
const sizes = readdirSync(ARTIFACTS)
  .filter((f) => /^sizes-.*\.json$/.test(f))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(ARTIFACTS, f), 'utf8')) as SizeRecord[]);
const md = sizeTable({ packed, sizes, date: new Date().toISOString().slice(0, 10) });
const file = join(REPO_ROOT, 'BENCHMARKS.md');
const text = readFileSync(file, 'utf8');
const a = text.indexOf(START);
const b = text.indexOf(END);
const next = a >= 0 && b > a ? text.slice(0, a) + md + text.slice(b + END.length) : `${text.trimEnd()}\n\n## Package and bundle sizes (\`npm run test:consumer\`)\n\n${md}\n`;
writeFileSync(file, next);
console.log(md);
