/**
 * Makes errors keep their class and `code` across the comlink boundary. comlink's own "throw" handler
 * only keeps message/name/stack, so we replace its serialize/deserialize (keeping its canHandle, which
 * recognises comlink's private "thrown" marker) with core's serializeError/deserializeError.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { deserializeError, serializeError, type SerializedError } from '../errors.js';

interface WireThrown {
  resnetEdgeError: SerializedError;
}

let installed = false;

/**
 * Installs the error transfer handler. Idempotent; must run on both sides (main thread and worker).
 *
 * @example
 * ```ts
 * installErrorTransferHandler();
 * const api = wrap<WorkerApi>(worker);
 * await api.classify(req).catch((e) => e instanceof ImageInputError); // true when the worker threw one
 * ```
 */
export function installErrorTransferHandler(): void {
  if (installed) return;
  const original = transferHandlers.get('throw');
  if (!original) throw new Error('comlink has no "throw" transfer handler');
  const handler: TransferHandler<{ value: unknown }, WireThrown> = {
    canHandle: (value): value is { value: unknown } => original.canHandle(value),
    serialize: ({ value }) => [{ resnetEdgeError: serializeError(value) }, []],
    deserialize: (wire) => {
      throw isWireThrown(wire) ? deserializeError(wire.resnetEdgeError) : serializeThenDeserialize(wire);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  installed = true;
}

function isWireThrown(wire: unknown): wire is WireThrown {
  const e = (wire as WireThrown | null)?.resnetEdgeError;
  return !!e && typeof e.code === 'string' && typeof e.message === 'string';
}

// A peer without our handler (comlink's default shape): still surface a ResNetEdgeError, code INTERNAL.
function serializeThenDeserialize(wire: unknown): Error {
  const value = (wire as { value?: unknown } | null)?.value;
  const message = (value as { message?: unknown } | null)?.message;
  return deserializeError(serializeError(new Error(typeof message === 'string' ? message : String(value))));
}
