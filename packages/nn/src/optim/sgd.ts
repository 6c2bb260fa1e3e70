import { sgdStep_, type Tensor } from '@wick/core';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';

/** Options of SGD, as torch's. */
export interface SGDOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Stochastic gradient descent with momentum, torch.optim.SGD's update to the letter. */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDOptions>>, options: Partial<SGDOptions> & { lr: number }) {
    super(params, { lr: options.lr, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }, options);
  }

  protected validate(g: ParamGroup<SGDOptions>): void {
    if (!(g.lr >= 0)) throw new Error(`SGD: invalid learning rate: ${g.lr}`);
    if (!(g.momentum >= 0)) throw new Error(`SGD: invalid momentum value: ${g.momentum}`);
    if (!(g.weightDecay >= 0)) throw new Error(`SGD: invalid weightDecay value: ${g.weightDecay}`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new Error('SGD: Nesterov momentum requires a momentum and zero dampening');
    }
  }

  /** Updates every parameter that has a gradient, once, as torch's SGD. */
  step(): void {
    for (const group of this.paramGroups) {
      sgdStep_(group.params, group, (p) => {
        const state = this.stateOf(p);
        const firstStep = state.momentum_buffer === undefined;
        return { momentumBuffer: group.momentum !== 0 ? this.buffer(state, 'momentum_buffer', p) : null, firstStep };
      });
    }
  }
}
