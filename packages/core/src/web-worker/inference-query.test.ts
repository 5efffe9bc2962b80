import { describe, expect, it } from 'vitest';
import { ImageInputError, ResNetEdgeError } from '../errors.js';
import { InferenceQuery } from './inference-query.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

describe('InferenceQuery', () => {
  it('goes idle -> pending -> success and notifies subscribers', async () => {
    const q = new InferenceQuery<string, string>(async (input) => ({ result: input.toUpperCase(), latencyMs: 2, inferenceMs: 1 }));
    const seen: string[] = [];
    q.subscribe(() => seen.push(q.getSnapshot().status));
    expect(q.getSnapshot().status).toBe('idle');
    q.setInput('a');
    const snap = q.getSnapshot();
    expect(q.getSnapshot()).toBe(snap); // stable between changes (useSyncExternalStore requirement)
    await Promise.resolve();
    await Promise.resolve();
    expect(q.getSnapshot()).toEqual({ status: 'success', data: 'A', error: null, latencyMs: 2, inferenceMs: 1 });
    q.setInput(null);
    expect(seen).toEqual(['pending', 'success', 'idle']);
  });

  it('aborts the stale request and ignores its late answer', async () => {
    const calls: { input: string; signal: AbortSignal; d: ReturnType<typeof deferred<{ result: string; latencyMs: number; inferenceMs: number }>> }[] = [];
    const q = new InferenceQuery<string, string>((input, signal) => {
      const d = deferred<{ result: string; latencyMs: number; inferenceMs: number }>();
      calls.push({ input, signal, d });
      return d.promise;
    });
    q.setInput('old');
    q.setInput('new');
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[1]!.signal.aborted).toBe(false);
    calls[1]!.d.resolve({ result: 'NEW', latencyMs: 1, inferenceMs: 1 });
    calls[0]!.d.resolve({ result: 'OLD', latencyMs: 1, inferenceMs: 1 });
    await new Promise((r) => setTimeout(r, 0));
    expect(q.getSnapshot().data).toBe('NEW');
  });

  it('wraps foreign errors and keeps ResNetEdgeErrors as they are', async () => {
    const err = new ImageInputError('IMAGE_DECODE_FAILED', 'bad png');
    const q = new InferenceQuery<number, number>(async (n) => {
      if (n === 1) throw err;
      throw new TypeError('nope');
    });
    q.setInput(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(q.getSnapshot()).toMatchObject({ status: 'error', data: undefined, error: err });
    q.setInput(2);
    await new Promise((r) => setTimeout(r, 0));
    const { error } = q.getSnapshot();
    expect(error).toBeInstanceOf(ResNetEdgeError);
    expect(error?.code).toBe('INTERNAL');
  });

  it('a synchronous throw in the runner becomes an error state', () => {
    const q = new InferenceQuery<number, number>(() => {
      throw new ResNetEdgeError('INVALID_ARGUMENT', 'x');
    });
    q.setInput(1);
    return new Promise<void>((done) => setTimeout(() => (expect(q.getSnapshot().error?.code).toBe('INVALID_ARGUMENT'), done()), 0));
  });
});
