/**
 * Backend registry after onnxruntime-web's: backends register with a priority, availability is probed lazily
 * once and cached, and `auto` falls through to the next backend when one cannot run the model.
 */
import { BackendError, ResNetEdgeError } from '../errors.js';
import type { Backend, BackendAvailability, BackendName, InferenceSession, ResolvedBackend, SessionOptions } from './types.js';

export interface BackendRegistry {
  register(backend: Backend): void;
  /** Probe result, cached per backend. */
  availability(name: ResolvedBackend): Promise<BackendAvailability>;
  /** Creates a session on the requested backend, or under `auto` on the best one that accepts the model. */
  createSession(options: SessionOptions & { backend: BackendName; onFallback?: (e: FallbackEvent) => void }): Promise<InferenceSession>;
}

/** Why a backend was skipped under `auto`. */
export interface FallbackEvent {
  backend: ResolvedBackend;
  reason: string;
  code?: string;
}

/**
 * Creates an empty registry (the SDK has one default instance; tests make their own).
 *
 * @example
 * ```ts
 * const registry = createBackendRegistry();
 * registry.register(createOrtBackend({ device: 'wasm' }));
 * const session = await registry.createSession({ backend: 'auto', manifest, modelBytes });
 * ```
 */
export function createBackendRegistry(): BackendRegistry {
  const backends = new Map<ResolvedBackend, Backend>();
  const probes = new Map<ResolvedBackend, Promise<BackendAvailability>>();

  const availability = (name: ResolvedBackend): Promise<BackendAvailability> => {
    const backend = backends.get(name);
    if (!backend) return Promise.resolve({ available: false, reason: `backend "${name}" is not registered` });
    let p = probes.get(name);
    if (!p) {
      p = backend.probe().catch((e: unknown) => ({ available: false, reason: (e as Error).message }));
      probes.set(name, p);
    }
    return p;
  };

  return {
    register(backend) {
      backends.set(backend.name, backend);
      probes.delete(backend.name);
    },
    availability,
    async createSession(options) {
      const { backend: wanted, onFallback, ...sessionOptions } = options;
      if (wanted !== 'auto') {
        const backend = backends.get(wanted);
        const av = await availability(wanted);
        if (!backend || !av.available) {
          throw new BackendError('BACKEND_UNAVAILABLE', `Backend "${wanted}" is not available here: ${av.reason ?? 'unknown reason'}.`, {
            details: { backend: wanted },
          });
        }
        try {
          return await backend.createSession(sessionOptions);
        } catch (e) {
          // A backend's own bug (a RangeError in a kernel's setup, say) still reaches the caller as a typed error.
          if (e instanceof ResNetEdgeError) throw e;
          throw new BackendError('BACKEND_UNAVAILABLE', `Backend "${wanted}" could not create a session: ${(e as Error)?.message ?? String(e)}.`, {
            cause: e,
            details: { backend: wanted },
          });
        }
      }
      const skipped: FallbackEvent[] = [];
      let modelFault: unknown;
      let otherFault = false;
      for (const backend of [...backends.values()].sort((a, b) => b.priority - a.priority)) {
        const av = await availability(backend.name);
        if (!av.available || av.fallbackAdapter) {
          // A software GPU adapter (SwiftShader) is slower than WASM: only used when asked for by name.
          const reason = av.fallbackAdapter ? 'software (fallback) GPU adapter' : (av.reason ?? 'unavailable');
          skipped.push({ backend: backend.name, reason });
          continue;
        }
        try {
          return await backend.createSession(sessionOptions);
        } catch (e) {
          const ev: FallbackEvent = { backend: backend.name, reason: (e as Error).message, code: (e as ResNetEdgeError).code };
          skipped.push(ev);
          onFallback?.(ev);
          if (ev.code === 'INVALID_MODEL') modelFault ??= e;
          else otherFault = true;
        }
      }
      // Every backend that tried refused the model itself: that is the answer, not a missing backend.
      if (modelFault && !otherFault) throw modelFault;
      throw new BackendError('BACKEND_UNAVAILABLE', `No backend could run this model: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}.`, {
        details: { skipped },
      });
    },
  };
}
