/**
 * Why a Web Worker failed. A worker whose script cannot be loaded fires a bare `error` Event (no message, no status),
 * so the script URL is requested again here to say what happened: an HTTP status, an HTML page served instead of
 * JavaScript (a dev server's SPA fallback), or a script that loaded but threw while starting.
 */
import { BackendError } from '../errors.js';

/** The `error` event's useful fields (an `ErrorEvent` has a message; a load failure is a plain `Event`). */
export interface WorkerErrorEvent {
  message?: string;
  filename?: string;
  lineno?: number;
}

/**
 * Turns a worker `error` event into a typed error: `WORKER_LOAD_FAILED` (with `details.url` and `details.status` when
 * the script URL is known) when the script did not start, `BACKEND_UNAVAILABLE` for an error thrown inside it.
 *
 * @example
 * ```ts
 * worker.addEventListener('error', async (ev) => reject(await describeWorkerFailure({ event: ev, url })));
 * ```
 */
export async function describeWorkerFailure(o: { event: WorkerErrorEvent | undefined; url: string | undefined; fetch?: typeof fetch }): Promise<BackendError> {
  const { event, url } = o;
  if (event?.message) {
    const where = event.filename ? ` (${event.filename}${event.lineno ? `:${event.lineno}` : ''})` : '';
    return new BackendError('BACKEND_UNAVAILABLE', `The inference worker failed: ${event.message}${where}`, {
      details: { ...(url ? { url } : {}) },
    });
  }
  const fix = 'Serve the worker script (with esbuild: add @resnet-edge/core/worker-entry as an entry point named worker-entry), or pass workerUrl / createWorker.';
  if (!url) {
    return new BackendError('WORKER_LOAD_FAILED', `The inference worker did not start and the browser gave no reason (check its script in the network panel). ${fix}`);
  }
  let res: Response;
  try {
    res = await (o.fetch ?? globalThis.fetch)(url, { cache: 'no-store' });
  } catch (cause) {
    return new BackendError('WORKER_LOAD_FAILED', `The inference worker script ${url} could not be fetched (${(cause as Error).message}). ${fix}`, {
      cause,
      details: { url },
    });
  }
  const status = res.status;
  const type = res.headers.get('content-type') ?? '';
  await res.body?.cancel().catch(() => {});
  if (!res.ok) {
    return new BackendError('WORKER_LOAD_FAILED', `The inference worker script ${url} could not be loaded: HTTP ${status}. ${fix}`, {
      details: { url, status },
    });
  }
  if (!/javascript|ecmascript/i.test(type)) {
    return new BackendError('WORKER_LOAD_FAILED', `The inference worker script ${url} was served as "${type || 'no content type'}", not JavaScript (a page served instead of the script?). ${fix}`, {
      details: { url, status, contentType: type },
    });
  }
  return new BackendError('WORKER_LOAD_FAILED', `The inference worker script ${url} loaded (HTTP ${status}) but did not start: a module it imports is missing or threw (see the browser console).`, {
    details: { url, status },
  });
}
