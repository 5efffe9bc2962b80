/** Which models the demo runs (overridable with ?classifier=...&detector=...&backend=...). */
import type { UseResNetOptions } from '../../../packages/react-hooks/src/index.js';

const params = new URLSearchParams(globalThis.location?.search ?? '');
export const CLASSIFIER = params.get('classifier') ?? 'fmnist-resnet20';
export const DETECTOR = params.get('detector') ?? 'fmnist-scenes-centernet';
export const BACKEND = (params.get('backend') ?? undefined) as UseResNetOptions['backend'];
