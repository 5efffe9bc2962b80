/**
 * The contract between the wasm executor (engine/exec/wasm) and an op's wasm kernel (engine/ops/<op>/wasm.ts).
 * Building an executor calls every op's kernel twice: first to reserve memory while the executor lays it out, then,
 * once memory exists, to get the closure that runs the op on every inference.
 */
import type { PlanOp, PlanTensor } from '../plan/types.js';
import type { CallList } from './call-list.js';
import type { EngineInstance } from './engine.js';
import type { QLayout } from './layout.js';

/** An op as engine calls, so a threaded executor can batch it with its neighbours (see exec/wasm/schedule.ts). */
export interface OpCalls {
  /** Encoded calls per thread: [0] the calling thread's, [i] helper i's (absent or empty: nothing to do). */
  readonly lists: readonly CallList[];
  /** JS work before the calls (e.g. copying a float input into staging); reads only float host values. */
  readonly pre?: (f32: Map<number, Float32Array>) => void;
  /** JS work after the calls (e.g. reading a float output out of wasm memory). */
  readonly post?: (f32: Map<number, Float32Array>) => void;
}

/**
 * Runs one op; `f32` holds the float tensors by id (int8 tensors live in wasm memory). `variant` names the
 * kernel variant a kernel picked for the op (e.g. conv: 'winograd'), for tests and benchmarks; `calls` is set when
 * the op is nothing but engine calls (and hooks), built by call-runner.ts.
 */
export type WasmRunner = ((f32: Map<number, Float32Array>) => void) & { variant?: string; calls?: OpCalls };

/** What a kernel may reserve while the executor lays out memory (nothing exists yet). */
export interface WasmMemoryPlan {
  readonly engine: EngineInstance;
  readonly tensors: readonly PlanTensor[];
  /** Reserves static bytes (weights, biases, float outputs) kept for the executor's life; returns the address. */
  alloc(bytes: number): number;
  /** This op needs `bytes` of scratch on each thread running it (one region per thread, sized for the largest). */
  scratch(bytes: number): void;
  /** This op needs `bytes` of f32 staging (one region shared by all ops). */
  staging(bytes: number): void;
  /** This op needs `bytes` at load time only, just above the static data (later reused for activations). */
  loadTemp(bytes: number): void;
}

/** What a kernel sees once memory is laid out. */
export interface WasmOpContext {
  readonly engine: EngineInstance;
  readonly tensors: readonly PlanTensor[];
  /** NHWC layout of an int8 tensor (of any tensor's shape, for a float output). */
  layout(id: number): QLayout;
  /** Address of an int8 tensor's buffer. */
  ptr(id: number): number;
  /** Scratch addresses, one per thread: [0] is the calling thread's, [i] helper i's. */
  readonly scratch: readonly number[];
  /** Address of the f32 staging region. */
  readonly staging: number;
  /** Address of the load-time region. */
  readonly loadTemp: number;
}

/**
 * An op's wasm kernel: reserves memory for `op`, returns the builder of its runner, or undefined when this op must
 * run as its host kernel instead (the executor then reads its int8 inputs out of wasm memory and writes results back).
 */
export type WasmKernel<O extends PlanOp> = (op: O, memory: WasmMemoryPlan) => ((ctx: WasmOpContext) => WasmRunner) | undefined;
