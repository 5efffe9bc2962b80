/** Size records of the consumer tier: each test file writes its own JSON under test-artifacts/consumer/. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from './consumer-app.js';

/** One measured bundle: gzip bytes of the JavaScript and wasm an app downloads (models excluded unless named). */
export interface SizeRecord {
  what: string;
  gzip: number;
  note?: string;
}

/**
 * Writes `records` to test-artifacts/consumer/sizes-<name>.json (test/consumer/size-table.ts renders them).
 *
 * @example
 * ```ts
 * writeSizes('browser', [{ what: 'esbuild app: load + classify', gzip: 70_000 }]);
 * ```
 */
export function writeSizes(name: string, records: SizeRecord[]): void {
  writeFileSync(join(ARTIFACTS, `sizes-${name}.json`), JSON.stringify(records, null, 2) + '\n');
}

/** The budgets from issue 12, in bytes (KB = 1000 bytes). */
export const BUDGETS = {
  browserApp: 80_000,
  hooksOnTopOfCore: 5_000,
  coreTarball: 300_000,
};
