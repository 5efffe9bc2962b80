/**
 * Reads the Worker isolate's V8 heap through the inspector that `wrangler dev` exposes (Runtime.getHeapUsage): the figure
 * the 128 MB isolate limit is about, unlike the workerd process RSS (runtime + every isolate + code).
 */
import WebSocket from 'ws';

export interface HeapUsage {
  /** Live JS heap. */
  usedBytes: number;
  /** JS heap reserved. */
  totalBytes: number;
  /** ArrayBuffer and wasm-memory backing stores (V8's `backingStorageSize`; 0 when the inspector does not report it). */
  backingBytes: number;
  /** Embedder (workerd) objects on the heap (`embedderHeapUsedSize`; 0 when not reported). */
  embedderBytes: number;
}

type HeapReply = { usedSize: number; totalSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number };

/**
 * Connects to the inspector on `port` and returns a sampler; resolves undefined if no inspector target is reachable.
 *
 * @example
 * ```ts
 * const heap = await connectIsolateHeap({ port: 9230 });
 * console.log(await heap?.sample());
 * ```
 */
export async function connectIsolateHeap(options: { port: number; timeoutMs?: number }): Promise<{ sample(): Promise<HeapUsage>; collectGarbage(): Promise<void>; close(): void } | undefined> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let targets: Array<{ webSocketDebuggerUrl?: string }> = [];
  while (Date.now() < deadline) {
    try {
      targets = (await (await fetch(`http://127.0.0.1:${options.port}/json`, { signal: AbortSignal.timeout(2000) })).json()) as typeof targets;
      if (targets.some((t) => t.webSocketDebuggerUrl)) break;
    } catch {
      /* inspector not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) return undefined;
  const ws = new WebSocket(url);
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  let id = 0;
  const pending = new Map<number, (r: { result?: unknown; error?: unknown }) => void>();
  let lastChunkAt = 0;
  ws.on('message', (m) => {
    const msg = JSON.parse(String(m)) as { id?: number; method?: string; result?: unknown; error?: unknown };
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') lastChunkAt = Date.now();
    // Replies carry an id and no method (wrangler's inspector proxy also echoes some requests back).
    if (msg.id !== undefined && msg.method === undefined) pending.get(msg.id)?.(msg), pending.delete(msg.id);
  });
  const call = (method: string, timeoutMs = 5000, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((ok, fail) => {
      const my = ++id;
      const timer = setTimeout(() => fail(new Error(`inspector timeout (${method})`)), timeoutMs);
      pending.set(my, (r) => {
        clearTimeout(timer);
        if (r.error || !r.result) return fail(new Error(`${method}: ${JSON.stringify(r.error ?? 'no result')}`));
        ok(r.result);
      });
      ws.send(JSON.stringify({ id: my, method, params }));
    });
  return {
    sample: async () => {
      const r = (await call('Runtime.getHeapUsage')) as HeapReply;
      return { usedBytes: r.usedSize, totalBytes: r.totalSize, backingBytes: r.backingStorageSize ?? 0, embedderBytes: r.embedderHeapUsedSize ?? 0 };
    },
    // workerd's inspector does not answer HeapProfiler.collectGarbage, nor takeHeapSnapshot itself; but a snapshot
    // runs a full GC first and streams its chunks as events, so: ask for one and wait until the chunks stop.
    collectGarbage: async () => {
      const asked = Date.now();
      lastChunkAt = 0;
      ws.send(JSON.stringify({ id: ++id, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } }));
      while (Date.now() - asked < 120_000) {
        await new Promise((r) => setTimeout(r, 100));
        if (lastChunkAt && Date.now() - lastChunkAt > 1000) return;
      }
      throw new Error('inspector: no heap snapshot (GC) within 120 s');
    },
    close: () => ws.close(),
  };
}
