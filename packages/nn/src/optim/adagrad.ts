import { adagradStep_, fullLike, type Tensor } from '@wick/core';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';

/** Options of Adagrad, as torch.optim.Adagrad's. */
export interface AdagradOptions {
  /** Learning rate (default 0.01). */
  lr: number;
  /** The lr is divided by 1 + (step - 1) lrDecay (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** The sum of squared gradients starts here (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch.optim.Adagrad: each step divided by the root of the sum of all squared gradients so far. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdagradOptions>>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
  }

  protected validate(g: ParamGroup<AdagradOptions>): void {
    if (!(g.lr >= 0)) throw new Error(`Adagrad: invalid learning rate: ${g.lr}`);
    if (!(g.lrDecay >= 0)) throw new Error(`Adagrad: invalid lrDecay value: ${g.lrDecay}`);
    if (!(g.weightDecay >= 0)) throw new Error(`Adagrad: invalid weightDecay value: ${g.weightDecay}`);
    if (!(g.initialAccumulatorValue >= 0)) throw new Error(`Adagrad: invalid initialAccumulatorValue value: ${g.initialAccumulatorValue}`);
    if (!(g.eps >= 0)) throw new Error(`Adagrad: invalid epsilon value: ${g.eps}`);
  }

  /** Updates every parameter that has a gradient, once, as torch's Adagrad. */
  step(): void {
    for (const group of this.paramGroups) {
      adagradStep_(group.params, group, (p) => {
        const state = this.stateOf(p);
        // torch creates the sum when the optimizer is built; created here on first use, it starts the same.
        if (state.sum === undefined) state.sum = fullLike(p, group.initialAccumulatorValue);
        const step = ((state.step as number | undefined) ?? 0) + 1;
        state.step = step;
        return { sum: state.sum as Tensor, step };
      });
    }
  }
}
