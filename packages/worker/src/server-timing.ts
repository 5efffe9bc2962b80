/**
 * `Server-Timing` header builder. Note: inside workerd, clocks only advance across I/O (a Spectre
 * mitigation), so pure-CPU phases such as inference can read as 0 ms in production.
 */

/**
 * Collects named phase durations.
 *
 * @example
 * ```ts
 * const t = new ServerTiming();
 * const x = await t.measure('infer', () => run());
 * headers.set('server-timing', t.header()); // "infer;dur=3.1, total;dur=3.2"
 * ```
 */
export class ServerTiming {
  private readonly start = now();
  private readonly entries: Array<[string, number]> = [];

  /**
   * Runs `fn` and records its duration under `name`, also when it throws.
   *
   * @example
   * ```ts
   * await timing.measure('parse', () => readBody());
   * ```
   */
  async measure<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const t0 = now();
    try {
      return await fn();
    } finally {
      this.entries.push([name, now() - t0]);
    }
  }

  /**
   * The header value, with a final `total` entry.
   *
   * @example
   * ```ts
   * res.headers.set('server-timing', timing.header());
   * ```
   */
  header(): string {
    return [...this.entries, ['total', now() - this.start] as [string, number]]
      .map(([n, d]) => `${n};dur=${d.toFixed(1)}`)
      .join(', ');
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
