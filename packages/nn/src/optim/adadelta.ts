import { adadeltaStep_, type Tensor } from '@wick/core';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';

/** Options of Adadelta, as torch.optim.Adadelta's. */
export interface AdadeltaOptions {
  /** Scales the update (default 1.0). */
  lr: number;
  /** Decay of the running averages (default 0.9). */
  rho: number;
  /** Added inside the square roots for stability (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * torch.optim.Adadelta (Zeiler, 2012): each parameter's step is its gradient scaled by the ratio
 * of running root-mean-squares of past updates and of past gradients.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdadeltaOptions>>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(g: ParamGroup<AdadeltaOptions>): void {
    if (!(g.lr >= 0)) throw new Error(`Adadelta: invalid learning rate: ${g.lr}`);
    if (!(g.rho >= 0 && g.rho <= 1)) throw new Error(`Adadelta: invalid rho value: ${g.rho}`);
    if (!(g.eps >= 0)) throw new Error(`Adadelta: invalid epsilon value: ${g.eps}`);
    if (!(g.weightDecay >= 0)) throw new Error(`Adadelta: invalid weightDecay value: ${g.weightDecay}`);
  }

  /** Updates every parameter that has a gradient, once, as torch's Adadelta. */
  step(): void {
    for (const group of this.paramGroups) {
      adadeltaStep_(group.params, group, (p) => {
        const state = this.stateOf(p);
        state.step = ((state.step as number | undefined) ?? 0) + 1;
        return { squareAvg: this.buffer(state, 'square_avg', p), accDelta: this.buffer(state, 'acc_delta', p) };
      });
    }
  }
}
