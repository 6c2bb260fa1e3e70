import { adamStep_, type Tensor } from '@wick/core';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';

/** Options of Adam and AdamW, as torch's. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Weight decay (default 0 for Adam, 1e-2 for AdamW). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad: boolean;
}

/** What Adam and AdamW take: parameters, or parameter groups with options of their own. */
export type AdamParams = Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>;

/** The shared update of Adam and AdamW, which differ only in how weight decay enters. */
abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupledWeightDecay: boolean;

  protected validate(g: ParamGroup<AdamOptions>): void {
    const name = this.constructor.name;
    if (!(g.lr >= 0)) throw new Error(`${name}: invalid learning rate: ${g.lr}`);
    if (!(g.eps >= 0)) throw new Error(`${name}: invalid epsilon value: ${g.eps}`);
    g.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new Error(`${name}: invalid beta parameter at index ${i}: ${b}`);
    });
    if (!(g.weightDecay >= 0)) throw new Error(`${name}: invalid weightDecay value: ${g.weightDecay}`);
  }

  /** Updates every parameter that has a gradient, once, as torch's Adam (AdamW: decoupled weight decay). */
  step(): void {
    for (const group of this.paramGroups) {
      const hyper = {
        lr: group.lr,
        beta1: group.betas[0],
        beta2: group.betas[1],
        eps: group.eps,
        weightDecay: group.weightDecay,
        decoupledWeightDecay: this.decoupledWeightDecay,
      };
      adamStep_(group.params, hyper, (p) => {
        const state = this.stateOf(p);
        const step = ((state.step as number | undefined) ?? 0) + 1;
        state.step = step;
        return {
          expAvg: this.buffer(state, 'exp_avg', p),
          expAvgSq: this.buffer(state, 'exp_avg_sq', p),
          maxExpAvgSq: group.amsgrad ? this.buffer(state, 'max_exp_avg_sq', p) : null,
          step,
        };
      });
    }
  }
}

/** torch.optim.Adam: weight decay as an L2 term added to the gradient. */
export class Adam extends AdamBase {
  protected readonly decoupledWeightDecay = false;
  constructor(params: AdamParams, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false }, options);
  }
}

/** torch.optim.AdamW: decoupled weight decay (default 0.01). */
export class AdamW extends AdamBase {
  protected readonly decoupledWeightDecay = true;
  constructor(params: AdamParams, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false }, options);
  }
}
