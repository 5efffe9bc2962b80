/** The `resnet-edge` executable as a shell runs it: real process, real exit codes. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const core = join(dirname(fileURLToPath(import.meta.url)), '../..');
const repo = join(core, '../..');
const bin = join(core, 'bin/resnet-edge.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });

describe('bin/resnet-edge.mjs', () => {
  it('exits 0 for --version, 2 for a usage error and 1 when an image fails, with plain relative paths', () => {
    const version = cli('--version');
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')).version}\n`);

    const usage = cli('classify', 'models/fmnist-resnet20/samples/bag.png', '--top-k', 'abc');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('error INVALID_ARGUMENT: --top-k must be an integer from 1 to 1000 (got "abc").');

    const run = cli('classify', 'models/fmnist-resnet20/samples/bag.png', 'no-such.png', '--model', './models/fmnist-resnet20/model.json', '--top-k', '1');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/bag\.png \([\d.]+ ms\)\n +[\d.]+% {2}Bag\n/);
    expect(run.stderr).toContain('no-such.png: error FILE_NOT_FOUND: No such image: no-such.png');
  });
});
