export { Optimizer } from './optimizer';
export type { ParamGroup, ParamGroupInput, ParamState, OptimizerStateDict } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { Adam, AdamW } from './adam';
export type { AdamOptions } from './adam';
export { LRScheduler, StepLR, CosineAnnealingLR } from './lrScheduler';
