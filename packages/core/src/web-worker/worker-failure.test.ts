import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWorkerFailure } from './worker-failure.js';

// A real server: the diagnosis requests the script URL again and reads status and content type.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/worker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end('import "./missing.js";');
    else if (req.url === '/spa/worker.js') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('describeWorkerFailure', () => {
  it('a missing script: WORKER_LOAD_FAILED with its URL and HTTP status', async () => {
    const err = await describeWorkerFailure({ event: {}, url: `${base}/assets/worker-entry.js` });
    expect(err.code).toBe('WORKER_LOAD_FAILED');
    expect(err.details).toEqual({ url: `${base}/assets/worker-entry.js`, status: 404 });
    expect(err.message).toContain('HTTP 404');
    expect(err.message).toContain(`${base}/assets/worker-entry.js`);
  });

  it('an HTML page served instead of the script says so', async () => {
    const err = await describeWorkerFailure({ event: undefined, url: `${base}/spa/worker.js` });
    expect(err.code).toBe('WORKER_LOAD_FAILED');
    expect(err.details).toMatchObject({ status: 200, contentType: 'text/html' });
  });

  it('a script that loads but does not start points at its imports', async () => {
    const err = await describeWorkerFailure({ event: {}, url: `${base}/worker.js` });
    expect(err.code).toBe('WORKER_LOAD_FAILED');
    expect(err.message).toMatch(/loaded \(HTTP 200\) but did not start/);
  });

  it('an unreachable server keeps the URL and the network error', async () => {
    const err = await describeWorkerFailure({ event: {}, url: 'http://127.0.0.1:9/worker.js' });
    expect(err.code).toBe('WORKER_LOAD_FAILED');
    expect(err.details).toEqual({ url: 'http://127.0.0.1:9/worker.js' });
  });

  it('an error thrown inside a running worker keeps its message', async () => {
    const err = await describeWorkerFailure({ event: { message: 'boom', filename: 'w.js', lineno: 3 }, url: undefined });
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(err.message).toBe('The inference worker failed: boom (w.js:3)');
  });

  it('without a known URL it still names a stable code', async () => {
    expect((await describeWorkerFailure({ event: {}, url: undefined })).code).toBe('WORKER_LOAD_FAILED');
  });
});
