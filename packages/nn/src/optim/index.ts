export { Optimizer } from './optimizer';
export type { ParamGroup, ParamGroupInput, ParamState, OptimizerStateDict } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { Adam, AdamW } from './adam';
export type { AdamOptions } from './adam';
export { Adadelta } from './adadelta';
export type { AdadeltaOptions } from './adadelta';
export { LRScheduler, StepLR, CosineAnnealingLR } from './lrScheduler';
