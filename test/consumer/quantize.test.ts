/**
 * `resnet-edge quantize` from the installed package, and its output loaded back: the fp32 Fashion-MNIST ResNet-20
 * (standing in for a user's own model) calibrated on the shipped sample images, written as a model package.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, REPO_ROOT, run } from './consumer-app.js';

const DIR = join(APP_DIR, 'quantize');
const npx = (...args: string[]) => run('npx', ['--no-install', 'resnet-edge', ...args]);

describe('quantize -> load (installed from the tarballs)', () => {
  beforeAll(() => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'models/fmnist-resnet20/model.fp32.onnx'), join(DIR, 'fmnist.fp32.onnx'));
    const { labels } = JSON.parse(readFileSync(join(REPO_ROOT, 'models/fmnist-resnet20/model.json'), 'utf8')) as { labels: string[] };
    writeFileSync(join(DIR, 'labels.txt'), labels.join('\n') + '\n');
  });

  it('refuses to calibrate without input preprocessing', async () => {
    const r = await npx('quantize', 'quantize/fmnist.fp32.onnx', '--out', 'quantize/refused', '--calib', 'node_modules/@resnet-edge/models/samples/fmnist-resnet20', '--labels', 'quantize/labels.txt');
    expect(r.code).toBe(2);
  });

  it('writes a model package that the CLI and load() use directly', async () => {
    const q = await npx(
      'quantize', 'quantize/fmnist.fp32.onnx', '--out', 'quantize/out', '--calib', 'node_modules/@resnet-edge/models/samples/fmnist-resnet20',
      '--preset', 'fmnist', '--labels', 'quantize/labels.txt',
    );
    expect(q.code, q.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(DIR, 'out/model.json'), 'utf8')) as { files: { role: string; sha256: string }[] };
    expect(manifest.files.find((f) => f.role === 'model')?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const cli = await npx('classify', 'node_modules/@resnet-edge/models/samples/fmnist-resnet20/bag.png', '--model', 'quantize/out', '--json', '--top-k', '1');
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('"Bag"');

    const node = await run('node', ['node-esm/load-package.mjs', 'quantize/out/model.json']);
    expect(node.code, node.stderr).toBe(0);
    const got = JSON.parse(node.stdout.trim());
    expect(got.top[0].label).toBe('Bag');
    expect(got.backend).toBe('wasm');
  });
});
