// Child process of image-bombs.test.ts: runs one named hostile image through every entry point (decodeImage at full
// size, classify() fast and exact, the CLI's main()) and prints one JSON line with each error code, the time taken
// and the process's peak RSS, so the parent can check memory without this process's own setup muddying its heap.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../packages/core/src/cli/main.js';
import { decodeImage, load, ResNetEdgeError } from '../../packages/core/src/index.js';
import { imageBombs } from '../../packages/core/src/testing/image-bombs.js';

const bomb = imageBombs().find((b) => b.name === process.argv[2]);
if (!bomb) throw new Error(`unknown case ${process.argv[2]}`);
const model = await load({ model: 'fmnist-resnet20', backend: 'wasm' });
const bytes = bomb.make();
const file = join(mkdtempSync(join(tmpdir(), 'bomb-')), `${bomb.name}.img`);
writeFileSync(file, bytes);
const rssSetupMB = process.memoryUsage().rss / 2 ** 20;

async function outcome(run: () => Promise<unknown>): Promise<{ code: string; ms: number }> {
  const t0 = performance.now();
  const code = await run().then(
    () => 'resolved',
    (e) => (e instanceof ResNetEdgeError ? e.code : `untyped:${String(e)}`),
  );
  return { code, ms: +(performance.now() - t0).toFixed(1) };
}

const results = {
  decodeImage: await outcome(() => decodeImage(bytes)),
  classifyFast: await outcome(() => model.classify(bytes)),
  classifyExact: await outcome(() => model.classify(bytes, { preprocess: { decode: 'exact' } })),
  cli: await (async () => {
    let out = '';
    const sink = { write: (t: string) => (out += t) };
    const t0 = performance.now();
    const exit = await main(['classify', file, '--json', '--backend', 'wasm'], { stdout: sink, stderr: { write: () => true } });
    const json = JSON.parse(out) as { results?: Array<{ error?: { code: string } }>; error?: { code: string } };
    return { code: json.results?.[0]?.error?.code ?? json.error?.code ?? 'resolved', exit, ms: +(performance.now() - t0).toFixed(1) };
  })(),
};
await model.dispose();
process.stdout.write(`${JSON.stringify({ name: bomb.name, bytes: bytes.length, rssSetupMB, maxRssMB: process.resourceUsage().maxRSS / 1024, results })}\n`);
