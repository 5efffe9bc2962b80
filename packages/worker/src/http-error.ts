/**
 * HTTP errors in the shape hono uses: an {@link HttpError} knows its own Response. Core
 * {@link ResNetEdgeError} codes map to statuses here so the JSON error contract
 * (`{"error": {"code", "message"}}`) is decided in exactly one place.
 */
import { ResNetEdgeError, type ErrorCode } from '@resnet-edge/core';

/** Error codes the HTTP layer adds on top of the core {@link ErrorCode}s. */
export type HttpErrorCode =
  | ErrorCode
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'BODY_TOO_LARGE'
  | 'INVALID_JSON';

/** Options of {@link HttpError}. */
export interface HttpErrorOptions {
  status: number;
  code: HttpErrorCode;
  message: string;
  /** Extra response headers (e.g. `Allow` on 405, `WWW-Authenticate` on 401). */
  headers?: Record<string, string>;
  /** Facts safe to show to the caller (sizes, limits). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An error that carries its HTTP status and renders itself as a JSON Response.
 *
 * @example
 * ```ts
 * throw new HttpError({ status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Use POST.', headers: { allow: 'POST' } });
 * ```
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: HttpErrorCode;
  readonly headers: Record<string, string>;
  readonly details?: Record<string, unknown>;
  constructor(options: HttpErrorOptions) {
    super(options.message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'HttpError';
    this.status = options.status;
    this.code = options.code;
    this.headers = options.headers ?? {};
    if (options.details) this.details = options.details;
  }

  /**
   * The JSON error response; never includes a stack trace.
   *
   * @example
   * ```ts
   * return new HttpError({ status: 404, code: 'NOT_FOUND', message: 'No such route.' }).getResponse();
   * ```
   */
  getResponse(): Response {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.details) error.details = this.details;
    return new Response(JSON.stringify({ error }), {
      status: this.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...this.headers },
    });
  }
}

/** HTTP status for each core error code. Anything not listed is a server-side failure (500). */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  EMPTY_INPUT: 400,
  INVALID_TENSOR: 400,
  UNSUPPORTED_IMAGE_FORMAT: 415,
  IMAGE_DECODE_FAILED: 422,
  IMAGE_TOO_LARGE: 413,
  UNKNOWN_MODEL: 404,
  ABORTED: 408,
  BACKEND_UNAVAILABLE: 503,
};

/**
 * The HTTP status a core error code maps to.
 *
 * @example
 * ```ts
 * statusForCode('IMAGE_DECODE_FAILED'); // 422
 * ```
 */
export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/**
 * Converts anything thrown by a handler into an {@link HttpError}. Core errors keep their code and
 * message (they are written for callers); unknown errors become a generic 500 so internals never leak.
 *
 * @example
 * ```ts
 * catch (e) { return toHttpError(e).getResponse(); }
 * ```
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ResNetEdgeError) {
    const status = statusForCode(err.code);
    return new HttpError({
      status,
      code: err.code,
      message: err.message,
      // Details from a 5xx may describe server internals (paths, sizes of model files): keep them out.
      ...(status < 500 && err.details ? { details: safeDetails(err.details) } : {}),
      cause: err,
    });
  }
  return new HttpError({ status: 500, code: 'INTERNAL', message: 'Internal error.', cause: err });
}

/** Keeps only JSON-safe primitive details so a response can never echo objects or huge buffers. */
function safeDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200)) out[k] = v;
  }
  return out;
}
