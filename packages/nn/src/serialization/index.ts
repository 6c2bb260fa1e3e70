export { serialize, deserialize, deserializeWithMetadata } from './safetensors';
export type { TensorsWithMetadata } from './safetensors';
export { save, load, loadWithMetadata, writeFileAtomic } from './file';
