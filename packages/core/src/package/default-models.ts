/** The built-in model each task uses when the caller names none (React hooks, CLI, the Worker): one place. */
import type { ModelTask } from './manifest-types.js';

/**
 * Default built-in model id per task.
 *
 * @example
 * ```ts
 * const id = DEFAULT_MODELS[manifestTask]; // 'fmnist-resnet20' for classification
 * ```
 */
export const DEFAULT_MODELS: Readonly<Record<ModelTask, 'fmnist-resnet20' | 'fmnist-scenes-centernet'>> = {
  classification: 'fmnist-resnet20',
  detection: 'fmnist-scenes-centernet',
};
