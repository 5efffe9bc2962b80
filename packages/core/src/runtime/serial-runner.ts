/** One inference at a time per session: backends are not re-entrant, so concurrent callers queue. */
import { throwIfAborted } from '../errors.js';
import type { InferenceSession } from '../backends/types.js';
import type { Tensor } from '../tensor.js';
import { checkFiniteOutputs } from './finite-outputs.js';

export interface SerialRunner {
  /** Runs after every earlier run settled; aborted before it starts if `signal` is; non-finite outputs throw. */
  run(feeds: Record<string, Tensor>, signal?: AbortSignal): Promise<Record<string, Tensor>>;
  /** Settles once every run queued so far has (before disposing the session). */
  idle(): Promise<void>;
}

/**
 * Wraps a session so runs execute one after another (a failed run does not block the next).
 *
 * @example
 * ```ts
 * const runner = serialRunner(session);
 * const out = await runner.run({ input: tensor }, signal);
 * await runner.idle().then(() => session.dispose());
 * ```
 */
export function serialRunner(session: InferenceSession): SerialRunner {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(feeds, signal) {
      const next = queue.then(() => {
        throwIfAborted(signal);
        return session.run(feeds).then((out) => checkFiniteOutputs(out, session.backend));
      });
      queue = next.catch(() => undefined);
      return next;
    },
    idle: () => queue.then(() => undefined, () => undefined),
  };
}
