/**
 * A deliberately tiny exact-path router: the API has four routes, so a table beats a dependency.
 * It distinguishes "no such path" (404) from "path exists, wrong method" (405 with `Allow`).
 */
import { HttpError } from './http-error.js';

/** Per-request context handed to every route handler. */
export interface RouteContext<E> {
  request: Request;
  url: URL;
  env: E;
  ctx: ExecutionContext;
}

/** A route handler returns a Response (errors are thrown as HttpError / ResNetEdgeError). */
export type RouteHandler<E> = (c: RouteContext<E>) => Promise<Response> | Response;

/** Minimal shape of the Workers `ExecutionContext` the app uses; keeps the package free of workers-types. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/**
 * Exact-match method+path router.
 *
 * @example
 * ```ts
 * const r = new Router<Env>().on({ method: 'GET', path: '/healthz', handler: () => new Response('ok') });
 * const handler = r.match({ method: 'GET', path: '/healthz' }); // throws HttpError 404/405 otherwise
 * ```
 */
export class Router<E> {
  private readonly routes = new Map<string, Map<string, RouteHandler<E>>>();

  /**
   * Registers a handler; returns the router for chaining.
   *
   * @example
   * ```ts
   * router.on({ method: 'POST', path: '/v1/classify', handler: classify });
   * ```
   */
  on(options: { method: string; path: string; handler: RouteHandler<E> }): this {
    const byMethod = this.routes.get(options.path) ?? new Map<string, RouteHandler<E>>();
    byMethod.set(options.method.toUpperCase(), options.handler);
    this.routes.set(options.path, byMethod);
    return this;
  }

  /**
   * Methods registered for a path (empty when the path is unknown); used for `Allow` and CORS preflight.
   *
   * @example
   * ```ts
   * router.allowed({ path: '/v1/classify' }); // ['POST']
   * ```
   */
  allowed(options: { path: string }): string[] {
    return [...(this.routes.get(options.path)?.keys() ?? [])];
  }

  /**
   * Finds the handler for a request, or throws 404 (unknown path) / 405 (known path, other method).
   * `HEAD` is served by the `GET` handler, as HTTP requires.
   *
   * @example
   * ```ts
   * const h = router.match({ method: request.method, path: url.pathname });
   * ```
   */
  match(options: { method: string; path: string }): RouteHandler<E> {
    const byMethod = this.routes.get(options.path);
    if (!byMethod) throw new HttpError({ status: 404, code: 'NOT_FOUND', message: `No route for ${truncate(options.path)}.` });
    const method = options.method.toUpperCase();
    const handler = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined);
    if (handler) return handler;
    const allow = [...byMethod.keys()].join(', ');
    throw new HttpError({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: `Method ${truncate(method)} is not allowed on ${options.path}; use ${allow}.`,
      headers: { allow },
    });
  }
}

/** Paths and methods are caller-controlled: keep echoes short. */
function truncate(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
