export { TensorDataset, Subset, ConcatDataset } from './dataset';
export type { Dataset } from './dataset';
export { DataLoader } from './dataLoader';
export type { DataLoaderOptions } from './dataLoader';
export { randomSplit } from './randomSplit';
