export { assertClose } from './assertClose';
export type { CloseOptions } from './assertClose';
export { decodeTensor } from './golden';
export type { EncodedTensor } from './golden';
export { adaptiveAvgPool2dReference, adaptiveMaxPool2dReference, avgPool2dReference, batchNormReference, conv2dReference, layerNormReference } from './reference';
