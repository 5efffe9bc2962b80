/** The `resnet-edge` CLI as `npx` runs it from the installed core package (no tsx, no repository). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR, run } from './consumer-app.js';

const npx = (...args: string[]) => run('npx', ['--no-install', 'resnet-edge', ...args]);

describe('CLI (npx resnet-edge, installed from the tarball)', () => {
  it('--help and --version', async () => {
    const help = await npx('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('resnet-edge classify');
    const version = await npx('--version');
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(APP_DIR, 'node_modules/@resnet-edge/core/package.json'), 'utf8'));
    expect(version.stdout.trim()).toBe(pkg.version);
    const sub = await npx('classify', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Usage: resnet-edge classify');
  });

  it('classifies a shipped sample given as a plain relative path', async () => {
    const r = await npx('classify', 'node_modules/@resnet-edge/models/samples/fmnist-resnet20/sneaker.png', '--json', '--top-k', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"Sneaker"');
  });

  it('detects on a shipped scene', async () => {
    const r = await npx('detect', 'node_modules/@resnet-edge/models/samples/fmnist-scenes-centernet/scene-1.png', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"box"');
  });

  it('a missing image has its own code', async () => {
    const r = await npx('classify', 'no-such-image.png', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FILE_NOT_FOUND');
  });
});
