/**
 * Typed errors. Every failure the SDK reports is a {@link ResNetEdgeError} with a stable `code`; the code
 * (not the message) is the contract, and it survives the Web Worker and HTTP boundaries via
 * {@link serializeError} / {@link deserializeError}.
 */

/** Stable error codes. Adding a code is fine; renaming one is a breaking change. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'EMPTY_INPUT'
  | 'UNSUPPORTED_IMAGE_FORMAT'
  | 'IMAGE_DECODE_FAILED'
  | 'IMAGE_TOO_LARGE'
  | 'INVALID_TENSOR'
  | 'UNKNOWN_MODEL'
  | 'MODEL_FETCH_FAILED'
  | 'INVALID_MANIFEST'
  | 'INTEGRITY_MISMATCH'
  | 'INVALID_MODEL'
  | 'UNSUPPORTED_OP'
  | 'BACKEND_UNAVAILABLE'
  | 'INFERENCE_FAILED'
  | 'DEVICE_LOST'
  | 'DISPOSED'
  | 'ABORTED'
  | 'QUANTIZATION_FAILED'
  | 'WORKER_LOAD_FAILED'
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'FILE_UNREADABLE'
  | 'FILE_WRITE_FAILED'
  | 'INTERNAL';

/** Options accepted by every error constructor. */
export interface ErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Machine-readable extra facts (sizes, names), safe to show to a caller. */
  details?: Record<string, unknown>;
}

/**
 * Base class of every error thrown by resnet-edge.
 *
 * @example
 * ```ts
 * try { await model.classify(bytes); }
 * catch (e) { if (e instanceof ResNetEdgeError && e.code === 'IMAGE_DECODE_FAILED') showHint(); }
 * ```
 */
export class ResNetEdgeError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ResNetEdgeError';
    this.code = code;
    if (options.details) this.details = options.details;
  }
}

/** The input could not be used as an image (empty, corrupt, unsupported, too large). */
export class ImageInputError extends ResNetEdgeError {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ImageInputError';
  }
}

/** The model package could not be resolved, fetched, verified or parsed. */
export class ModelLoadError extends ResNetEdgeError {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ModelLoadError';
  }
}

/** A backend could not initialise or failed while running. */
export class BackendError extends ResNetEdgeError {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'BackendError';
  }
}

/** Plain-object form of an error, safe for structured clone and JSON. */
export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const classes: Record<string, new (code: ErrorCode, message: string, o?: ErrorOptions) => ResNetEdgeError> = {
  ResNetEdgeError,
  ImageInputError,
  ModelLoadError,
  BackendError,
};

/**
 * Converts any thrown value into a {@link SerializedError}; unknown errors become `INTERNAL`.
 *
 * @example
 * ```ts
 * postMessage({ error: serializeError(e) });
 * ```
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof ResNetEdgeError) {
    return { name: err.name, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  }
  // Anything can be thrown, including objects whose getters or toString throw: serializing must not throw itself.
  try {
    if (err && typeof err === 'object' && (err as { name?: string }).name === 'AbortError') {
      return { name: 'ResNetEdgeError', code: 'ABORTED', message: 'The operation was aborted.' };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { name: 'ResNetEdgeError', code: 'INTERNAL', message: String(message) };
  } catch {
    return { name: 'ResNetEdgeError', code: 'INTERNAL', message: 'An error that could not be described was thrown.' };
  }
}

/**
 * Rebuilds an error of the original class from {@link serializeError}'s output.
 *
 * @example
 * ```ts
 * throw deserializeError(msg.error); // instanceof ImageInputError again, same code
 * ```
 */
export function deserializeError(s: SerializedError): ResNetEdgeError {
  // A message from another party (a worker, an HTTP body) may not hold an error at all.
  if (!s || typeof s !== 'object' || typeof s.code !== 'string' || typeof s.message !== 'string') {
    return new ResNetEdgeError('INTERNAL', 'Received a malformed error (no code and message).', { details: { received: describe(s) } });
  }
  const Cls = (Object.hasOwn(classes, s.name) ? classes[s.name] : undefined) ?? ResNetEdgeError;
  return new Cls(s.code, s.message, s.details ? { details: s.details } : {});
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return typeof v;
  }
}

/** Throws `ABORTED` if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ResNetEdgeError('ABORTED', 'The operation was aborted.', { cause: signal.reason });
}
