// Size probe: what @resnet-edge/react-hooks itself adds when core and React are already in the app.
export { ResNetProvider, useClassification, useDetection, useResNet } from '@resnet-edge/react-hooks';
