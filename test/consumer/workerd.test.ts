/**
 * A Cloudflare Worker on the installed tarball, under `wrangler dev` (local workerd): the `workerd` export condition
 * hands wrangler-precompiled wasm to core, so the built-in classifier runs with no configuration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR, freePort, REPO_ROOT, startProcess } from './consumer-app.js';

describe('Cloudflare Worker (wrangler dev, installed from the tarball)', () => {
  it('classifies a POSTed PNG with the built-in id on the own engine', async () => {
    const port = await freePort();
    // The repository's wrangler (the consumer app does not install it: workerd is a 100 MB download).
    const dev = await startProcess({
      cmd: process.execPath,
      args: [join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false'],
      cwd: join(APP_DIR, 'worker-app'),
      env: { WRANGLER_SEND_METRICS: 'false', CI: '1' },
      ready: /Ready on/,
      timeoutMs: 180_000,
    });
    try {
      const png = readFileSync(join(APP_DIR, 'node_modules/@resnet-edge/models/samples/fmnist-resnet20/bag.png'));
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: png });
      const body = (await res.json()) as { backend?: string; top?: { label: string }[]; error?: unknown };
      expect(body.error, dev.output()).toBeUndefined();
      expect(res.status).toBe(200);
      expect(body.backend).toBe('wasm');
      expect(body.top?.[0]?.label).toBe('Bag');
    } finally {
      await dev.stop();
    }
  });
});
