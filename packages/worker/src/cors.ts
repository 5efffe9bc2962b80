/** CORS from an allow-list var (`CORS_ORIGINS`: comma-separated origins, or `*`). */

/** Response headers the browser may read; `server-timing` additionally needs Timing-Allow-Origin. */
const EXPOSED = 'x-model, x-backend, server-timing';

/**
 * Parses the `CORS_ORIGINS` var into a list; empty means CORS is off (same-origin / server callers only).
 *
 * @example
 * ```ts
 * parseOrigins({ value: 'https://a.example, https://b.example' }); // ['https://a.example', 'https://b.example']
 * ```
 */
export function parseOrigins(options: { value: string | undefined }): string[] {
  return (options.value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/**
 * CORS headers for a request's `Origin`, or `{}` if the origin is not allowed (the browser then blocks).
 *
 * @example
 * ```ts
 * corsHeaders({ origin: req.headers.get('origin'), allowed: ['*'] }); // { 'access-control-allow-origin': '*', ... }
 * ```
 */
export function corsHeaders(options: { origin: string | null; allowed: string[] }): Record<string, string> {
  const { origin, allowed } = options;
  if (!origin || allowed.length === 0) return {};
  const any = allowed.includes('*');
  if (!any && !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-expose-headers': EXPOSED,
    'timing-allow-origin': any ? '*' : origin,
    // The answer depends on Origin unless it is the wildcard; caches must key on it.
    ...(any ? {} : { vary: 'Origin' }),
  };
}

/**
 * Answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). Disallowed origins get a
 * 204 without CORS headers, which the browser treats as a refusal.
 *
 * @example
 * ```ts
 * if (req.method === 'OPTIONS') return preflight({ origin, allowed, methods: ['POST'] });
 * ```
 */
export function preflight(options: { origin: string | null; allowed: string[]; methods: string[] }): Response {
  const base = corsHeaders(options);
  const headers: Record<string, string> = { ...base, allow: [...options.methods, 'OPTIONS'].join(', ') };
  if (base['access-control-allow-origin']) {
    headers['access-control-allow-methods'] = [...options.methods, 'OPTIONS'].join(', ');
    headers['access-control-allow-headers'] = 'authorization, content-type';
    headers['access-control-max-age'] = '86400';
  }
  return new Response(null, { status: 204, headers });
}
