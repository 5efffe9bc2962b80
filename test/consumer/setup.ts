/**
 * Global setup of the consumer tier: builds and packs every published package (`npm pack`, as a release would), then
 * installs the tarballs into the consumer app outside the workspace. Third-party dependencies stay installed between
 * runs (cached in APP_DIR/node_modules); the resnet-edge packages are reinstalled from the fresh tarballs every run.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { APP_DIR, ARTIFACTS, REPO_ROOT, run, type PackedPackage } from './consumer-app.js';

export const PUBLISHED = ['@resnet-edge/models', '@resnet-edge/core', '@resnet-edge/react-hooks'];

function must(step: string, r: { code: number; stdout: string; stderr: string }): string {
  if (r.code !== 0) throw new Error(`${step} failed (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

export default async function setup(project: TestProject): Promise<void> {
  const t0 = Date.now();
  const log = (m: string) => console.log(`[consumer] ${m} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const tarballs = join(APP_DIR, 'tarballs');
  rmSync(tarballs, { recursive: true, force: true });
  mkdirSync(tarballs, { recursive: true });

  must('npm run build', await run('npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 600_000 }));
  log('built models, core, react-hooks');
  const packOut = must(
    'npm pack',
    await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballs, ...PUBLISHED.flatMap((p) => ['-w', p])], { cwd: REPO_ROOT }),
  );
  const packed: PackedPackage[] = (JSON.parse(packOut) as { name: string; filename: string; size: number; unpackedSize: number; files: { path: string }[] }[]).map(
    (p) => ({ name: p.name, filename: p.filename, size: p.size, unpackedSize: p.unpackedSize, files: p.files.map((f) => f.path) }),
  );
  log(`packed ${packed.map((p) => `${p.filename} ${(p.size / 1024).toFixed(0)} KiB`).join(', ')}`);

  // Scenario sources, then a package.json pointing at the fresh tarballs.
  cpSync(join(REPO_ROOT, 'test/consumer/apps'), APP_DIR, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(APP_DIR, 'package.template.json'), 'utf8'));
  for (const p of packed) pkg.dependencies[p.name] = `file:tarballs/${p.filename}`;
  writeFileSync(join(APP_DIR, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  // A tarball's integrity changes every build: drop the old copies and their lock entries, keep everything else.
  rmSync(join(APP_DIR, 'node_modules/@resnet-edge'), { recursive: true, force: true });
  rmSync(join(APP_DIR, 'package-lock.json'), { force: true });
  must('npm install', await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { timeoutMs: 600_000 }));
  if (!existsSync(join(APP_DIR, 'node_modules/@resnet-edge/core/dist/index.js'))) throw new Error('the core tarball did not install');
  log(`installed into ${APP_DIR}`);

  writeFileSync(join(ARTIFACTS, 'packed.json'), JSON.stringify(packed, null, 2) + '\n');
  project.provide('packed', packed);
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: PackedPackage[];
  }
}
