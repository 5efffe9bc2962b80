// CommonJS: Node >= 20.19 loads the ES module through require() (the "module-sync" export condition).
const core = require('@resnet-edge/core');
console.log(JSON.stringify({ load: typeof core.load, errors: typeof core.ResNetEdgeError }));
