// POST an image, get the built-in classifier's top 3: @resnet-edge/core with no configuration inside workerd.
import { load } from '@resnet-edge/core';

let model;
export default {
  async fetch(request) {
    try {
      model ??= await load({ model: 'fmnist-resnet20' });
      const top = await model.classify(new Uint8Array(await request.arrayBuffer()), { topK: 3 });
      return Response.json({ backend: model.backend, top });
    } catch (e) {
      return Response.json({ error: { code: e.code, message: e.message } }, { status: 500 });
    }
  },
};
