/**
 * Framework-free "query" over one input: holds the latest result as a TanStack-Query-style
 * discriminated union and cancels the previous request (AbortSignal) whenever the input changes.
 */
import { ResNetEdgeError } from '../errors.js';

export type QueryState<T> =
  | { status: 'idle'; data: undefined; error: null; latencyMs: null; inferenceMs: null }
  | { status: 'pending'; data: undefined; error: null; latencyMs: null; inferenceMs: null }
  | { status: 'success'; data: T; error: null; latencyMs: number; inferenceMs: number }
  | { status: 'error'; data: undefined; error: ResNetEdgeError; latencyMs: null; inferenceMs: null };

/** What a query runs for one input. */
export type QueryRunner<I, T> = (input: I, signal: AbortSignal) => Promise<{ result: T; latencyMs: number; inferenceMs: number }>;

const IDLE = Object.freeze({ status: 'idle', data: undefined, error: null, latencyMs: null, inferenceMs: null }) as QueryState<never>;
const PENDING = Object.freeze({ status: 'pending', data: undefined, error: null, latencyMs: null, inferenceMs: null }) as QueryState<never>;

/** The idle state (also the server snapshot). */
export const IDLE_QUERY_STATE: QueryState<never> = IDLE;

/**
 * @example
 * ```ts
 * const q = new InferenceQuery((img, signal) => store.classifyTimed(img, { signal, topK: 5 }));
 * q.subscribe(() => console.log(q.getSnapshot()));
 * q.setInput(blob);          // pending -> success | error
 * q.setInput(otherBlob);     // the first request is aborted
 * ```
 */
export class InferenceQuery<I, T> {
  private state: QueryState<T> = IDLE;
  private readonly listeners = new Set<() => void>();
  private controller: AbortController | undefined;
  private generation = 0;

  constructor(private runner: QueryRunner<I, T>) {}

  /** @example useSyncExternalStore(q.subscribe, q.getSnapshot, q.getSnapshot) */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** @example q.getSnapshot().status */
  getSnapshot = (): QueryState<T> => this.state;

  /** Swaps the runner used by the next {@link setInput} (options changed). @example q.setRunner(newRunner); */
  setRunner(runner: QueryRunner<I, T>): void {
    this.runner = runner;
  }

  /**
   * Starts a request for `input`, aborting any request in flight; `null`/`undefined` returns to idle.
   *
   * @example
   * ```ts
   * q.setInput(file);
   * ```
   */
  setInput(input: I | null | undefined): void {
    this.cancel();
    const generation = ++this.generation;
    if (input === null || input === undefined) {
      this.set(IDLE);
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.set(PENDING);
    let promise: Promise<{ result: T; latencyMs: number; inferenceMs: number }>;
    try {
      promise = this.runner(input, controller.signal);
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      ({ result, latencyMs, inferenceMs }) => {
        if (generation !== this.generation) return;
        this.controller = undefined;
        this.set({ status: 'success', data: result, error: null, latencyMs, inferenceMs });
      },
      (err: unknown) => {
        // A superseded request's failure (usually ABORTED) is nobody's business.
        if (generation !== this.generation) return;
        this.controller = undefined;
        const error = err instanceof ResNetEdgeError ? err : new ResNetEdgeError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
        this.set({ status: 'error', data: undefined, error, latencyMs: null, inferenceMs: null });
      },
    );
  }

  /**
   * Aborts the request in flight, if any, leaving the state as is (a later {@link setInput} replaces it).
   *
   * @example
   * ```ts
   * useEffect(() => { q.setInput(img); return () => q.cancel(); }, [img]);
   * ```
   */
  cancel(): void {
    this.generation++;
    this.controller?.abort();
    this.controller = undefined;
  }

  private set(next: QueryState<T>): void {
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }
}
