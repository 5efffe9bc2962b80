/** `resnet-edge --version`: the version in @resnet-edge/core's package.json, found from wherever this module runs. */
import { readFile } from 'node:fs/promises';

/**
 * The installed @resnet-edge/core version. Walks up from this module (`src/cli/` in a checkout, `dist/` when bundled)
 * to the package.json named `@resnet-edge/core`, so it works from sources and from the built CLI alike.
 *
 * @example
 * ```ts
 * console.log(await coreVersion()); // '0.1.0'
 * ```
 */
export async function coreVersion(): Promise<string> {
  for (let up = 1; up <= 4; up++) {
    const url = new URL(`${'../'.repeat(up)}package.json`, import.meta.url);
    let pkg: { name?: string; version?: string } | undefined;
    try {
      pkg = JSON.parse(await readFile(url, 'utf8'));
    } catch {
      continue; // no package.json at this level, or not JSON
    }
    if (pkg?.name === '@resnet-edge/core' && typeof pkg.version === 'string') return pkg.version;
  }
  return 'unknown';
}
