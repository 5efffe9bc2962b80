/**
 * Helper threads for the int8 engine: each helper instantiates the shared-memory engine build on the same
 * WebAssembly.Memory and runs lists of engine calls (im2row / gemm_q8 on its own rows and scratch) that the executor
 * hands it per conv. Work is posted through a small SharedArrayBuffer mailbox with Atomics wait/notify, not
 * postMessage: a ResNet-50 run has 53 convs, and a message round trip per conv would cost more than it saves.
 * Node (worker_threads) and browsers (Web Workers; the page must be cross-origin isolated).
 */
import { BackendError } from '../../errors.js';
import type { EngineExports } from './engine.js';
import { nodeBuiltin } from '../../platform/node-builtin.js';

/** Engine functions a call list may name, by call id (the index here): the one table of call ids. */
export const CALL_FNS = ['gemm_q8', 'im2row', 'im2row16', 'wino_input', 'wino_output'] as const;
/** Arguments of each, by call id (all i32). */
export const CALL_ARGC = [15, 19, 19, 12, 15] as const;
/** Call id of each function, for encoding lists: `[CALL.gemm_q8, ...args]`. */
export const CALL = Object.fromEntries(CALL_FNS.map((f, i) => [f, i])) as { readonly [K in (typeof CALL_FNS)[number]]: number };

type CallId = 0 | 1 | 2 | 3 | 4;

/** Encoded calls: [fnId, ...args] repeated (all arguments are i32). */
export type CallList = Int32Array;

const HEADER = 4; // [seq, done, nCalls, reserved]
/** int32 words of calls a helper takes per conv (a ResNet conv needs at most a few hundred). */
export const CALL_CAPACITY = 1 << 14;

/** Runs on the helper thread; kept free of imports because it is shipped as source text. */
const HELPER_SOURCE = `
const ARGC = ${JSON.stringify(CALL_ARGC)};
function serve(msg, post) {
  const ex = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } }).exports;
  const fns = ${JSON.stringify(CALL_FNS)}.map((name) => ex[name]);
  const c = new Int32Array(msg.control);
  post('ready');
  let seen = 0;
  for (;;) {
    Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (seen < 0) return;
    const n = c[2];
    for (let k = 0, i = ${HEADER}; k < n; k++) {
      const f = c[i], a = ARGC[f];
      fns[f].apply(null, Array.prototype.slice.call(c, i + 1, i + 1 + a));
      i += 1 + a;
    }
    Atomics.store(c, 1, seen);
    Atomics.notify(c, 1);
  }
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', (m) => serve(m, (x) => parentPort.postMessage(x)));
} else {
  self.onmessage = (e) => serve(e.data, (x) => self.postMessage(x));
}
`;

export interface EngineThreadPool {
  /** Helper threads (the calling thread is the other one). */
  readonly helpers: number;
  /**
   * Runs `lists[0]` on the calling thread (through `local`) and `lists[i]` on helper i - 1, and returns when all are
   * done. Synchronous: the calling thread blocks (or, where it may not block, as on a browser's main thread, spins).
   */
  run(lists: CallList[], local: (list: CallList) => void): void;
  terminate(): void;
}

interface Helper {
  control: Int32Array;
  terminate(): void;
}

/** Whether this runtime can share wasm memory with helper threads. */
export function threadsSupported(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; process?: { versions?: { node?: string } } };
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (g.process?.versions?.node) return true;
  return g.crossOriginIsolated === true && typeof g.Worker === 'function';
}

async function spawn(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<Helper> {
  const control = new Int32Array(new SharedArrayBuffer((HEADER + CALL_CAPACITY) * 4));
  const init = { module, memory, control: control.buffer };
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) {
    // getBuiltinModule, not import(): browser and Worker bundlers must never see a node: import.
    const { Worker } = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads')!;
    const w = new Worker(HELPER_SOURCE, { eval: true });
    w.unref(); // an idle pool must not keep the process alive
    await new Promise<void>((ok, fail) => {
      w.once('message', () => ok());
      w.once('error', fail);
      w.postMessage(init);
    });
    return { control, terminate: () => void w.terminate() };
  }
  const url = URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  await new Promise<void>((ok, fail) => {
    w.onmessage = () => ok();
    w.onerror = (e) => fail(new Error(e.message));
    w.postMessage(init);
  });
  URL.revokeObjectURL(url);
  return { control, terminate: () => w.terminate() };
}

/** Whether Atomics.wait may block here (not on a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `helpers` threads running the shared-memory engine build.
 *
 * @example
 * ```ts
 * const pool = await createThreadPool({ module, memory, helpers: 1 });
 * pool.run([myCalls, helperCalls], runLocally);
 * pool.terminate();
 * ```
 */
export async function createThreadPool(o: { module: WebAssembly.Module; memory: WebAssembly.Memory; helpers: number }): Promise<EngineThreadPool> {
  const started = await Promise.allSettled(Array.from({ length: o.helpers }, () => spawn(o.module, o.memory)));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Do not leave the helpers that did start blocked forever.
    for (const r of started) if (r.status === 'fulfilled') r.value.terminate();
    throw new BackendError('BACKEND_UNAVAILABLE', `Could not start the engine's helper threads: ${(failed.reason as Error)?.message}`, { cause: failed.reason });
  }
  const helpers = started.map((r) => (r as PromiseFulfilledResult<Helper>).value);
  const block = canBlock();
  let seq = 0, dead = false;
  return {
    helpers: helpers.length,
    run(lists, local) {
      if (dead) throw new BackendError('INFERENCE_FAILED', 'The engine thread pool was terminated');
      seq = (seq + 1) & 0x3fffffff;
      helpers.forEach((h, i) => {
        const list = lists[i + 1] ?? new Int32Array(0);
        if (list.length > CALL_CAPACITY) throw new BackendError('INFERENCE_FAILED', 'Too many engine calls for one helper');
        h.control.set(list, HEADER);
        h.control[2] = countCalls(list);
        Atomics.store(h.control, 0, seq);
        Atomics.notify(h.control, 0);
      });
      local(lists[0]);
      for (const h of helpers) {
        for (let d = Atomics.load(h.control, 1); d !== seq; d = Atomics.load(h.control, 1)) if (block) Atomics.wait(h.control, 1, d, 50);
      }
    },
    terminate() {
      if (dead) return;
      dead = true;
      for (const h of helpers) {
        Atomics.store(h.control, 0, -1);
        Atomics.notify(h.control, 0);
        h.terminate();
      }
    },
  };
}

/**
 * Runs an encoded call list on this thread (the calling thread's share of a threaded op).
 *
 * @example
 * ```ts
 * pool.run(lists, (mine) => runCalls(engine.exports, mine));
 * ```
 */
export function runCalls(exports: EngineExports, list: CallList): void {
  const fns = CALL_FNS.map((name) => exports[name]) as ((...a: number[]) => void)[];
  for (let i = 0; i < list.length;) {
    const f = list[i], a = CALL_ARGC[f as CallId];
    fns[f](...list.subarray(i + 1, i + 1 + a));
    i += 1 + a;
  }
}

/** Number of calls in an encoded list. */
export function countCalls(list: CallList): number {
  let n = 0;
  for (let i = 0; i < list.length; i += 1 + CALL_ARGC[list[i] as CallId]) n++;
  return n;
}

/** Encodes calls ([fnId, ...args] each) into one list. */
export function encodeCalls(calls: number[][]): CallList {
  return Int32Array.from(calls.flat());
}
