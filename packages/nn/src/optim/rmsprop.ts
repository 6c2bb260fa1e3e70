import { rmspropStep_, type Tensor } from '@wick/core';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';

/** Options of RMSprop, as torch.optim.RMSprop's. */
export interface RMSpropOptions {
  /** Learning rate (default 0.01). */
  lr: number;
  /** Decay of the running mean of squared gradients (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum of the normalized step (default 0). */
  momentum: number;
  /** Normalize by the estimated variance of the gradient rather than its mean square (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch.optim.RMSprop: each step divided by a running root-mean-square of the gradient. */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RMSpropOptions>>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }

  protected validate(g: ParamGroup<RMSpropOptions>): void {
    if (!(g.lr >= 0)) throw new Error(`RMSprop: invalid learning rate: ${g.lr}`);
    if (!(g.eps >= 0)) throw new Error(`RMSprop: invalid epsilon value: ${g.eps}`);
    if (!(g.momentum >= 0)) throw new Error(`RMSprop: invalid momentum value: ${g.momentum}`);
    if (!(g.weightDecay >= 0)) throw new Error(`RMSprop: invalid weightDecay value: ${g.weightDecay}`);
    if (!(g.alpha >= 0)) throw new Error(`RMSprop: invalid alpha value: ${g.alpha}`);
  }

  /** Updates every parameter that has a gradient, once, as torch's RMSprop. */
  step(): void {
    for (const group of this.paramGroups) {
      rmspropStep_(group.params, group, (p) => {
        const state = this.stateOf(p);
        state.step = ((state.step as number | undefined) ?? 0) + 1;
        return {
          squareAvg: this.buffer(state, 'square_avg', p),
          gradAvg: group.centered ? this.buffer(state, 'grad_avg', p) : null,
          momentumBuffer: group.momentum > 0 ? this.buffer(state, 'momentum_buffer', p) : null,
        };
      });
    }
  }
}
