/**
 * Reads the Worker isolate's V8 heap through the inspector that `wrangler dev` exposes (Runtime.getHeapUsage): the figure
 * the 128 MB isolate limit is about, unlike the workerd process RSS (runtime + every isolate + code).
 */
import WebSocket from 'ws';

export interface HeapUsage {
  usedBytes: number;
  totalBytes: number;
}

/**
 * Connects to the inspector on `port` and returns a sampler; resolves undefined if no inspector target is reachable.
 *
 * @example
 * ```ts
 * const heap = await connectIsolateHeap({ port: 9230 });
 * console.log(await heap?.sample());
 * ```
 */
export async function connectIsolateHeap(options: { port: number; timeoutMs?: number }): Promise<{ sample(): Promise<HeapUsage>; close(): void } | undefined> {
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
  const pending = new Map<number, (r: { result?: { usedSize: number; totalSize: number } }) => void>();
  ws.on('message', (m) => {
    const msg = JSON.parse(String(m)) as { id?: number; result?: { usedSize: number; totalSize: number } };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg), pending.delete(msg.id);
  });
  return {
    sample: () =>
      new Promise<HeapUsage>((ok, fail) => {
        const my = ++id;
        const timer = setTimeout(() => fail(new Error('inspector timeout')), 5000);
        pending.set(my, (r) => {
          clearTimeout(timer);
          if (!r.result) return fail(new Error('no heap usage in inspector reply'));
          ok({ usedBytes: r.result.usedSize, totalBytes: r.result.totalSize });
        });
        ws.send(JSON.stringify({ id: my, method: 'Runtime.getHeapUsage' }));
      }),
    close: () => ws.close(),
  };
}
