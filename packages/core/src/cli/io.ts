/** Where the CLI writes: the process streams by default, collectors in tests. */

/** A text sink; `process.stdout` and `process.stderr` are ones. */
export interface CliOutput {
  write(text: string): unknown;
  /** True on a terminal: progress redraws one line instead of printing every 10%. */
  isTTY?: boolean;
}

export interface CliIO {
  stdout: CliOutput;
  stderr: CliOutput;
}

/**
 * The process's own stdout and stderr.
 *
 * @example
 * ```ts
 * await main(['classify', 'shoe.png'], processIO());
 * ```
 */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr };
}
