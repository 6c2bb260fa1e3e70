/** The functional layer, as torch.nn.functional: modules are thin wrappers over these. */
export * from './activation';
export * from './linear';
export * from './dropout';
export * from './loss';
export * from './conv';
export * from './pooling';
export * from './normalization';
