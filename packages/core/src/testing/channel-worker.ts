/**
 * Test helper: a "worker" that is really the worker API exposed on the other end of a MessageChannel
 * in the same thread. Messages still go through structured clone, transfer lists and comlink.
 */
import { expose } from 'comlink';
import { installErrorTransferHandler } from '../web-worker/error-transfer.js';
import type { WorkerApi, WorkerLike } from '../web-worker/protocol.js';

export interface ChannelWorker extends WorkerLike {
  terminated: boolean;
  /** Fires an `error` event as a crashed worker would. */
  crash(message: string): void;
}

/**
 * @example
 * ```ts
 * const worker = channelWorker({ api: createWorkerApi({ load }) });
 * ```
 */
export function channelWorker(options: { api: WorkerApi }): ChannelWorker {
  installErrorTransferHandler();
  const { port1, port2 } = new MessageChannel();
  expose(options.api, port2 as unknown as Parameters<typeof expose>[1]);
  const errorListeners = new Set<(ev: unknown) => void>();
  const worker: ChannelWorker = {
    terminated: false,
    postMessage: (message, transfer) => port1.postMessage(message, transfer),
    addEventListener: (type, listener) => {
      if (type === 'error') errorListeners.add(listener);
      else port1.addEventListener(type, listener as EventListener);
      port1.start();
    },
    removeEventListener: (type, listener) => {
      if (type === 'error') errorListeners.delete(listener);
      else port1.removeEventListener(type, listener as EventListener);
    },
    terminate: () => {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
    crash: (message) => {
      for (const l of errorListeners) l({ message, preventDefault() {} });
    },
  };
  return worker;
}
