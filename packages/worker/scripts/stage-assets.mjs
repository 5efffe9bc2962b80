#!/usr/bin/env node
// Stages the model packages listed in wrangler.toml's MODELS var from models/<id>/ into
// packages/worker/.assets (the [assets] directory). wrangler runs this as the `[build] command` before
// `wrangler dev` and `wrangler deploy`, so a fresh clone needs no separate step. Only files named in each
// manifest are copied, so training data/checkpoints in models/ never ship, and every file is checked
// against its manifest (size + sha256) and the 25 MiB per-asset limit (bigger models must be split into
// manifest `part` files).
//
//   node packages/worker/scripts/stage-assets.mjs [--out DIR] [--models id,id]
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const out = resolve(arg('out') ?? join(root, 'packages/worker/.assets'));
const MAX_ASSET = 25 * 1024 * 1024;
const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
const list = arg('models') ?? /^MODELS\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? '';
const ids = list.split(',').map((s) => s.trim()).filter(Boolean);

// Staged next to the target and swapped in at the end, so a dev server (or a second staging run) never
// sees a half-copied directory for longer than the swap.
const tmp = `${out}.staging-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
let staged = 0;
try {
  for (const id of ids) {
    const dir = join(root, 'models', id);
    const manifestPath = join(dir, 'model.json');
    if (!existsSync(manifestPath)) {
      console.warn(`stage-assets: models/${id}/model.json not found; "${id}" will answer 404 UNKNOWN_MODEL`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    mkdirSync(join(tmp, id), { recursive: true });
    copyFileSync(manifestPath, join(tmp, id, 'model.json'));
    for (const f of manifest.files ?? []) {
      if (!['model', 'part', 'refine'].includes(f.role)) continue; // fp32 references etc. are not served
      const rel = normalize(f.path);
      if (rel.startsWith('..') || rel.startsWith('/')) throw new Error(`${id}: file path escapes the package: ${f.path}`);
      const src = join(dir, rel);
      const size = statSync(src).size;
      if (size > MAX_ASSET) throw new Error(`${id}/${rel} is ${size} bytes, over the 25 MiB asset limit: split it into 'part' files`);
      const sha = createHash('sha256').update(readFileSync(src)).digest('hex');
      if (sha !== f.sha256 || size !== f.bytes) throw new Error(`${id}/${rel} does not match its manifest entry (sha256/bytes)`);
      mkdirSync(dirname(join(tmp, id, rel)), { recursive: true });
      copyFileSync(src, join(tmp, id, rel));
    }
    staged++;
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
} catch (e) {
  rmSync(tmp, { recursive: true, force: true });
  throw e;
}
console.log(`stage-assets: ${staged}/${ids.length} model packages (${ids.join(', ')}) in ${out}`);
