// The whole Worker of someone serving their own model (see packages/worker/README.md, "Your own models").
import { createWorker } from '@resnet-edge/worker/workerd';

export default createWorker({ models: ['acme-shoes'], limits: { maxImageBytes: 1_000_000 } });
