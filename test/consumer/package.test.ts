/** What npm publishes: tarball contents and sizes, and the declarations under a consumer's strict TypeScript. */
import { describe, expect, inject, it } from 'vitest';
import { run } from './consumer-app.js';

const packed = () => inject('packed');
const byName = (name: string) => packed().find((p) => p.name === name)!;

describe('published tarballs', () => {
  it('contain built code, declarations, README and LICENSE, and no sources, tests or fixtures', () => {
    for (const p of packed()) {
      expect(p.files, p.name).toContain('README.md');
      expect(p.files, p.name).toContain('LICENSE');
      expect(p.files, p.name).toContain('package.json');
      const leaked = p.files.filter((f) => /(^|\/)(src|test|tests|test-fixtures|fixtures|testing|__tests__)\/|\.(test|spec|bench)\.[cm]?[jt]sx?$|\.map$|(^|\/)types-raw\//.test(f));
      expect(leaked, p.name).toEqual([]);
    }
    const core = byName('@resnet-edge/core').files;
    for (const f of ['dist/index.js', 'dist/index.workerd.js', 'dist/web-worker.js', 'dist/worker-entry.js', 'dist/cli.js', 'dist/require-error.cjs', 'dist/types/index.d.ts', 'dist/wasm/engine-simd.wasm', 'bin/resnet-edge.mjs']) {
      expect(core).toContain(f);
    }
    expect(byName('@resnet-edge/models').files).toEqual(expect.arrayContaining(['dist/fmnist-resnet20.js', 'dist/fmnist-scenes-centernet.js', 'samples/fmnist-resnet20/bag.png']));
    expect(byName('@resnet-edge/react-hooks').files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/types/index.d.ts']));
  });

  it('core stays within its budget: tarball <= 300 KB (models are their own package)', () => {
    expect(byName('@resnet-edge/core').size).toBeLessThanOrEqual(300 * 1000);
  });
});

describe("a consumer's tsc --strict with skipLibCheck: false", () => {
  // Each config is in test/consumer/apps/types/: no DOM/Node types at all; node16 resolution with @types/node; browser
  // (DOM lib, React, onnxruntime-web passed in by the app).
  for (const config of ['plain', 'node16', 'browser']) {
    it(`type-checks (${config})`, async () => {
      const r = await run('npx', ['--no-install', 'tsc', '-p', `types/tsconfig.${config}.json`]);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }
});
