export { serialize, deserialize } from './safetensors';
export { save, load } from './file';
