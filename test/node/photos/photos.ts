/**
 * The ~12 MP test photos (make-photos.py), generated once into ~/.cache/resnet-edge/photos-12mp-<hash of the script>
 * so a changed script makes a fresh set. Shared by test/node/photo-fidelity.test.ts and bench/image-decode.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = new URL('./make-photos.py', import.meta.url).pathname;

export interface PhotoSet {
  dir: string;
  photos: Record<string, { kind: string; size: [number, number]; bytes: number }>;
}

/**
 * True when Debian's python3 has scikit-image, Pillow and numpy (scripts/test.sh installs python3-skimage).
 *
 * @example
 * ```ts
 * describe.skipIf(!canMakePhotos())('photos', () => {});
 * ```
 */
export function canMakePhotos(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import skimage, PIL, numpy'], { encoding: 'utf8' }).status === 0;
}

/**
 * Returns the photo set, generating it first if needed (about a minute).
 *
 * @example
 * ```ts
 * const { dir, photos } = testPhotos();
 * ```
 */
export function testPhotos(): PhotoSet {
  const dir = join(homedir(), '.cache/resnet-edge', `photos-12mp-${createHash('sha256').update(readFileSync(SCRIPT)).digest('hex').slice(0, 8)}`);
  if (!existsSync(join(dir, 'photos.json'))) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync('/usr/bin/python3', [SCRIPT, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`make-photos.py failed: ${r.stderr}`);
  }
  return { dir, photos: JSON.parse(readFileSync(join(dir, 'photos.json'), 'utf8')).photos };
}
