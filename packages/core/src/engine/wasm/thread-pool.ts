/**
 * Helper threads for the int8 engine: each helper instantiates the session's engine build on the same shared
 * WebAssembly.Memory and runs encoded engine calls (call-list.ts) on its share of each op. Two ways to hand work:
 * - run(lists): one op; the helper's list is copied into its mailbox (a small SharedArrayBuffer), woken with
 *   Atomics.notify, and the caller waits for it (tests, profiling, ops outside a schedule);
 * - runSegment(segment): a whole run of ops (a schedule segment, written once into wasm memory by the executor).
 *   Every thread works through the segment's steps, with a barrier between steps (a shared counter: spin briefly,
 *   then Atomics.wait), so a ResNet run wakes each helper once instead of once per op.
 * A helper that throws still arrives at every barrier and reports the failure, so the caller throws instead of
 * hanging. Node (worker_threads) and browsers (Web Workers; the page must be cross-origin isolated).
 */
import { BackendError } from '../../errors.js';
import { nodeBuiltin } from '../../platform/node-builtin.js';
import { CALL_TABLE, countCalls, type CallList } from './call-list.js';
import { CALL_CAPACITY } from './thread-support.js';

export { CALL_CAPACITY, threadsSupported } from './thread-support.js';

const HEADER = 6; // [seq, done, command (1 list, 2 segment), nCalls | segment byte offset, barrier base, threads]
/** Barrier polls before a waiting thread sleeps (Atomics.wait) instead of spinning. */
const SPINS = 4000;

/**
 * Barrier: counts this thread's arrival, then returns once the counter reaches `target` (wrap-safe int32 compare),
 * polling SPINS times before sleeping in Atomics.wait (where this thread may block). sync = [counter, helper error
 * flag]. The helpers' source below has the same function as text (it must survive minification).
 */
function barrier(sync: Int32Array, target: number, block: boolean): void {
  Atomics.add(sync, 0, 1);
  Atomics.notify(sync, 0);
  for (let i = 0; ; i++) {
    const v = Atomics.load(sync, 0);
    if (((v - target) | 0) >= 0) return;
    if (block && i >= SPINS) Atomics.wait(sync, 0, v, 5);
  }
}

/** Runs on the helper thread; kept free of imports because it is shipped as source text. */
const HELPER_SOURCE = `
const TABLE = ${JSON.stringify(CALL_TABLE)};
function barrier(sync, target, block) {
  Atomics.add(sync, 0, 1);
  Atomics.notify(sync, 0);
  for (let i = 0; ; i++) {
    const v = Atomics.load(sync, 0);
    if (((v - target) | 0) >= 0) return;
    if (block && i >= ${SPINS}) Atomics.wait(sync, 0, v, 5);
  }
}
function serve(msg, post) {
  const ex = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } }).exports;
  const fns = TABLE.map((t) => ex[t[0]]);
  const c = new Int32Array(msg.control), sync = new Int32Array(msg.sync);
  const bits = new Int32Array(1), f32 = new Float32Array(bits.buffer);
  const call = (w, i) => {
    const f = w[i], argc = TABLE[f][1], mask = TABLE[f][2], a = new Array(argc);
    for (let k = 0; k < argc; k++) {
      if ((mask >> k) & 1) { bits[0] = w[i + 1 + k]; a[k] = f32[0]; } else a[k] = w[i + 1 + k];
    }
    fns[f].apply(null, a);
    return i + 1 + argc;
  };
  post('ready');
  let seen = 0;
  for (;;) {
    Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (seen < 0) return;
    if (c[2] === 1) {
      try {
        for (let k = 0, i = ${HEADER}; k < c[3]; k++) i = call(c, i);
      } catch (e) { Atomics.store(sync, 1, 1); }
      Atomics.store(c, 1, seen);
      Atomics.notify(c, 1);
      continue;
    }
    // A segment in wasm memory: [steps, (words, calls...) per step].
    const w = new Int32Array(msg.memory.buffer);
    let i = c[3] >> 2;
    const steps = w[i++], base = c[4], T = c[5];
    let failed = false;
    for (let s = 0; s < steps; s++) {
      const end = i + 1 + w[i];
      i++;
      try {
        if (!failed) while (i < end) i = call(w, i);
      } catch (e) { failed = true; Atomics.store(sync, 1, 1); }
      i = end;
      barrier(sync, (base + (s + 1) * T) | 0, true);
    }
  }
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', (m) => serve(m, (x) => parentPort.postMessage(x)));
} else {
  self.onmessage = (e) => serve(e.data, (x) => self.postMessage(x));
}
`;

/** A schedule segment as the pool runs it: each helper's encoded steps at a byte offset in wasm memory. */
export interface PoolSegment {
  /** Byte offset of helper i's words ([steps, (words, calls...) per step]) in the shared memory. */
  readonly helperPtrs: readonly number[];
  readonly steps: number;
}

export interface EngineThreadPool {
  /** Helper threads (the calling thread is the other one). */
  readonly helpers: number;
  /**
   * Runs `lists[0]` on the calling thread (through `local`) and `lists[i]` on helper i - 1, and returns when all are
   * done. Synchronous: the calling thread blocks (or, where it may not block, as on a browser's main thread, spins).
   */
  run(lists: CallList[], local: (list: CallList) => void): void;
  /** Runs a segment: `local(step)` does the calling thread's share of each step; returns when every step is done. */
  runSegment(segment: PoolSegment, local: (step: number) => void): void;
  terminate(): void;
}

interface Helper {
  control: Int32Array;
  terminate(): void;
}


async function spawn(module: WebAssembly.Module, memory: WebAssembly.Memory, sync: SharedArrayBuffer): Promise<Helper> {
  const control = new Int32Array(new SharedArrayBuffer((HEADER + CALL_CAPACITY) * 4));
  const init = { module, memory, control: control.buffer, sync };
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
 * Starts `helpers` threads running `module` (the session's engine build) on `memory`.
 *
 * @example
 * ```ts
 * const pool = await createThreadPool({ module, memory, helpers: 1 });
 * pool.run([myCalls, helperCalls], runLocally);
 * pool.terminate();
 * ```
 */
export async function createThreadPool(o: { module: WebAssembly.Module; memory: WebAssembly.Memory; helpers: number }): Promise<EngineThreadPool> {
  const syncBuffer = new SharedArrayBuffer(8);
  const sync = new Int32Array(syncBuffer);
  const started = await Promise.allSettled(Array.from({ length: o.helpers }, () => spawn(o.module, o.memory, syncBuffer)));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Do not leave the helpers that did start blocked forever.
    for (const r of started) if (r.status === 'fulfilled') r.value.terminate();
    throw new BackendError('BACKEND_UNAVAILABLE', `Could not start the engine's helper threads: ${(failed.reason as Error)?.message}`, { cause: failed.reason });
  }
  const helpers = started.map((r) => (r as PromiseFulfilledResult<Helper>).value);
  const block = canBlock();
  let seq = 0, dead = false;
  const post = (h: Helper, command: number, a: number, base = 0) => {
    h.control[2] = command;
    h.control[3] = a;
    h.control[4] = base;
    h.control[5] = helpers.length + 1;
    Atomics.store(h.control, 0, seq);
    Atomics.notify(h.control, 0);
  };
  const checkHelpers = () => {
    if (Atomics.exchange(sync, 1, 0)) throw new BackendError('INFERENCE_FAILED', 'An engine helper thread failed');
  };
  return {
    helpers: helpers.length,
    run(lists, local) {
      if (dead) throw new BackendError('INFERENCE_FAILED', 'The engine thread pool was terminated');
      seq = (seq + 1) & 0x3fffffff;
      helpers.forEach((h, i) => {
        const list = lists[i + 1] ?? new Int32Array(0);
        if (list.length > CALL_CAPACITY) throw new BackendError('INFERENCE_FAILED', 'Too many engine calls for one helper');
        h.control.set(list, HEADER);
        post(h, 1, countCalls(list));
      });
      local(lists[0]);
      for (const h of helpers) {
        for (let d = Atomics.load(h.control, 1); d !== seq; d = Atomics.load(h.control, 1)) if (block) Atomics.wait(h.control, 1, d, 50);
      }
      checkHelpers();
    },
    runSegment(segment, local) {
      if (dead) throw new BackendError('INFERENCE_FAILED', 'The engine thread pool was terminated');
      // Helpers must be waited for (the last barrier) before their control words are reused: no empty segments.
      if (segment.steps === 0) return;
      seq = (seq + 1) & 0x3fffffff;
      const base = Atomics.load(sync, 0), T = helpers.length + 1;
      helpers.forEach((h, i) => post(h, 2, segment.helperPtrs[i], base));
      for (let s = 0; s < segment.steps; s++) {
        local(s);
        barrier(sync, (base + (s + 1) * T) | 0, block);
      }
      checkHelpers();
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
