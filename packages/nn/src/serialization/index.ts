export { serialize, deserialize } from './safetensors';
export { save, load, writeFileAtomic } from './file';
