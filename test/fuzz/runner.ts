/**
 * Runs fuzz cases in child processes (child.ts) with a time limit per case and a memory limit per process: the JS
 * heap capped by --max-old-space-size, the resident set polled from /proc and checked against each case's reported
 * peak. A child that crashes, runs a case past its time limit or outgrows the memory limit is killed; that case is
 * recorded as `crash`, `hang` or `memory`, and a fresh child takes the remaining cases.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One case's end (a model case on two backends ends twice). */
export interface CaseResult {
  id: string;
  family: 'image' | 'model' | 'model-ort';
  outcome: 'ok' | 'typed' | 'untyped' | 'invalid-result' | 'crash' | 'hang' | 'memory';
  code?: string;
  message?: string;
  backend?: string;
  base?: string;
  bytes?: number;
  ms?: number;
  maxRssMB?: number;
}

export interface RunOptions {
  ids: string[];
  seed: number;
  /** Child processes running at once. */
  workers: number;
  /** Per case (both backends of a model case together). */
  caseTimeoutMs: number;
  /** Resident set limit of a child, MB (its peak is also reported per case). */
  rssLimitMB: number;
  /** V8 heap limit of a child, MB. */
  heapMB: number;
  /** The child script (default test/fuzz/child.ts; runner.test.ts passes a misbehaving one). */
  child?: string;
}

const ROOT = new URL('../..', import.meta.url).pathname;

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `ids` through one child after another until none is left. */
async function worker(queue: string[], o: RunOptions, results: CaseResult[]): Promise<void> {
  while (queue.length) {
    // A child takes a batch; what it does not finish goes back to the front of the queue.
    const batch = queue.splice(0, 40);
    const left = await runChild(batch, o, results);
    queue.unshift(...left);
  }
}

/** One child over `batch`; returns the ids it did not get to (after a failure, the failed case is recorded). */
function runChild(batch: string[], o: RunOptions, results: CaseResult[]): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${o.heapMB}`, '--expose-gc', '--import', 'tsx', o.child ?? 'test/fuzz/child.ts', JSON.stringify(batch), String(o.seed)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let current: string | undefined;
    let started = 0;
    let stderr = '';
    let buf = '';
    let failed: CaseResult['outcome'] | undefined;
    const done = new Set<string>();
    const familyOf = (id: string): CaseResult['family'] => (id.startsWith('image/') ? 'image' : 'model');
    const kill = (why: CaseResult['outcome']) => {
      if (failed) return;
      failed = why;
      child.kill('SIGKILL');
    };
    // Memory first: a case over the limit is a memory blow-up even when it is also slow (as on a loaded machine,
    // where touching the memory can take longer than the time limit).
    const timer = setInterval(() => {
      if (rssMB(child.pid!) > o.rssLimitMB) kill('memory');
      else if (current && performance.now() - started > o.caseTimeoutMs) kill('hang');
    }, 100);
    // Process start-up (tsx, the model) has its own, longer allowance.
    const startup = setTimeout(() => !current && kill('hang'), 120_000);
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // a stray log line
        }
        if (typeof msg.start === 'string') {
          current = msg.start;
          started = performance.now();
        } else if (typeof msg.done === 'string') {
          const r = { id: msg.done, ...msg } as unknown as CaseResult & { done?: string };
          delete r.done;
          if ((r.maxRssMB ?? 0) > o.rssLimitMB) r.outcome = 'memory';
          results.push(r);
          done.add(msg.done);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      clearTimeout(startup);
      const failure = failed ?? (code === 0 ? undefined : 'crash');
      if (failure && current) {
        results.push({ id: current, family: familyOf(current), outcome: failure, message: `exit ${code ?? signal}: ${stderr.slice(-600)}` });
      }
      const idx = current ? batch.indexOf(current) : -1;
      // After a failure, the failed case is skipped and the rest of the batch goes to a fresh child.
      resolve(failure ? batch.slice(idx + 1).filter((id) => !done.has(id)) : batch.filter((id) => !done.has(id) && id !== current));
    });
  });
}

/**
 * Runs the cases on `workers` children at once and returns every result.
 *
 * @example
 * ```ts
 * const results = await runCases({ ids: corpusIds(), seed: 14, workers: 2, caseTimeoutMs: 30_000, rssLimitMB: 768, heapMB: 384 });
 * ```
 */
export async function runCases(o: RunOptions): Promise<CaseResult[]> {
  const queue = [...o.ids];
  const results: CaseResult[] = [];
  await Promise.all(Array.from({ length: o.workers }, () => worker(queue, o, results)));
  return results;
}
