export { serialize, deserialize, deserializeWithMetadata } from './safetensors';
export { save, load, loadWithMetadata, writeFileAtomic } from './file';
