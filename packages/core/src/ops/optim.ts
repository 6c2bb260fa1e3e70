import { noGrad } from '../autograd/gradMode';
import { kernels, type AdadeltaHyper, type AdagradHyper, type AdamHyper, type RMSpropHyper, type SGDHyper } from '../backend';
import { formatShape, sameShape } from '../shape';
import type { Tensor } from '../tensor/tensor';

/** What SGD keeps for one parameter: its momentum buffer (null without momentum). */
export interface SGDParamState {
  /** The momentum buffer (torch's momentum_buffer), or null before momentum's first step. */
  readonly momentumBuffer: Tensor | null;
  /** True on the step that creates the buffer: it starts as the gradient. */
  readonly firstStep: boolean;
}

/** What Adam keeps for one parameter; `step` counts this step too (from 1). */
export interface AdamParamState {
  /** The first moment average (torch's exp_avg). */
  readonly expAvg: Tensor;
  /** The second moment average (torch's exp_avg_sq). */
  readonly expAvgSq: Tensor;
  /** AMSGrad's running maximum of expAvgSq, or null without AMSGrad. */
  readonly maxExpAvgSq: Tensor | null;
  /** Steps taken with this parameter, this one included. */
  readonly step: number;
}

/** What Adadelta keeps for one parameter: the running averages of squared gradients and of squared updates. */
export interface AdadeltaParamState {
  /** The running average of squared gradients (torch's square_avg). */
  readonly squareAvg: Tensor;
  /** The running average of squared updates (torch's acc_delta). */
  readonly accDelta: Tensor;
}

/** What RMSprop keeps for one parameter: the mean square, and the mean (centered) and momentum buffer where used. */
export interface RMSpropParamState {
  /** The running average of squared gradients (torch's square_avg). */
  readonly squareAvg: Tensor;
  /** The running average of gradients when centered (torch's grad_avg), else null. */
  readonly gradAvg: Tensor | null;
  /** The momentum buffer (torch's momentum_buffer) when momentum > 0, else null. */
  readonly momentumBuffer: Tensor | null;
}

/** What Adagrad keeps for one parameter: the sum of squared gradients; `step` counts this step (from 1). */
export interface AdagradParamState {
  /** The sum of squared gradients (torch's sum). */
  readonly sum: Tensor;
  /** Steps taken with this parameter, this one included. */
  readonly step: number;
}

/** The parameters that have a gradient, each with it, after checking both are laid out alike. */
function withGradients(op: string, params: readonly Tensor[]): [Tensor, Tensor][] {
  const found: [Tensor, Tensor][] = [];
  for (const p of params) {
    const grad = p.peekGrad();
    if (grad === null) continue;
    if (!sameShape(grad.shape, p.shape)) {
      throw new Error(`${op}: gradient of shape ${formatShape(grad.shape)} does not match its parameter's ${formatShape(p.shape)}`);
    }
    if (!p.isContiguous()) throw new Error(`${op}: parameter of shape ${formatShape(p.shape)} is not contiguous`);
    found.push([p, grad]);
  }
  return found;
}

/** State tensors must be contiguous and shaped as their parameter, as the update writes them in place. */
function checkState(op: string, p: Tensor, state: Record<string, Tensor | null | number | boolean>): void {
  for (const [name, t] of Object.entries(state)) {
    if (t === null || typeof t !== 'object') continue;
    if (!sameShape(t.shape, p.shape) || !t.isContiguous() || t.dtype !== p.dtype) {
      throw new Error(
        `${op}: state '${name}' (${t.dtype}, shape ${formatShape(t.shape)}) must be a contiguous ${p.dtype} tensor of its parameter's shape ${formatShape(p.shape)}`,
      );
    }
  }
}

/** Marks tensors written in place, so autograd can tell a saved one changed. */
function bumpVersions(...tensors: (Tensor | null)[]): void {
  for (const t of tensors) if (t !== null) t.storage.version++;
}

/**
 * One SGD step in place on every parameter that has a gradient, torch.optim.SGD's update as one
 * fused kernel per parameter (as torch's fused/foreach implementations). `stateOf` is called
 * only for those parameters, so an optimizer can create state lazily as torch's does.
 */
export function sgdStep_(params: readonly Tensor[], hyper: Omit<SGDHyper, 'firstStep'>, stateOf: (p: Tensor) => SGDParamState): void {
  noGrad(() => {
    const updates = withGradients('sgdStep_', params).map(([p, grad]) => [p, grad, stateOf(p)] as const);
    for (const [p, , state] of updates) checkState('sgdStep_', p, { ...state });
    for (const [p, grad, { momentumBuffer, firstStep }] of updates) {
      kernels().sgdStep(p.dataSync(), grad.dataSync(), momentumBuffer?.dataSync() ?? null, { ...hyper, firstStep });
      bumpVersions(p, momentumBuffer);
    }
  });
}

/**
 * One Adam (or, with decoupledWeightDecay, AdamW) step in place on every parameter that has a
 * gradient, torch.optim.Adam's update as one fused kernel per parameter. `stateOf` is called only
 * for those parameters.
 */
export function adamStep_(params: readonly Tensor[], hyper: Omit<AdamHyper, 'step'>, stateOf: (p: Tensor) => AdamParamState): void {
  noGrad(() => {
    const updates = withGradients('adamStep_', params).map(([p, grad]) => [p, grad, stateOf(p)] as const);
    for (const [p, , state] of updates) checkState('adamStep_', p, { ...state });
    for (const [p, grad, { expAvg, expAvgSq, maxExpAvgSq, step }] of updates) {
      kernels().adamStep(p.dataSync(), grad.dataSync(), expAvg.dataSync(), expAvgSq.dataSync(), maxExpAvgSq?.dataSync() ?? null, {
        ...hyper,
        step,
      });
      bumpVersions(p, expAvg, expAvgSq, maxExpAvgSq);
    }
  });
}

/**
 * One Adadelta step in place on every parameter that has a gradient, torch.optim.Adadelta's
 * update as one fused kernel per parameter. `stateOf` is called only for those parameters.
 */
export function adadeltaStep_(params: readonly Tensor[], hyper: AdadeltaHyper, stateOf: (p: Tensor) => AdadeltaParamState): void {
  noGrad(() => {
    const updates = withGradients('adadeltaStep_', params).map(([p, grad]) => [p, grad, stateOf(p)] as const);
    for (const [p, , state] of updates) checkState('adadeltaStep_', p, { ...state });
    for (const [p, grad, { squareAvg, accDelta }] of updates) {
      kernels().adadeltaStep(p.dataSync(), grad.dataSync(), squareAvg.dataSync(), accDelta.dataSync(), hyper);
      bumpVersions(p, squareAvg, accDelta);
    }
  });
}

/** One RMSprop step in place on every parameter that has a gradient, torch.optim.RMSprop's update fused per parameter. */
export function rmspropStep_(params: readonly Tensor[], hyper: RMSpropHyper, stateOf: (p: Tensor) => RMSpropParamState): void {
  noGrad(() => {
    const updates = withGradients('rmspropStep_', params).map(([p, grad]) => [p, grad, stateOf(p)] as const);
    for (const [p, , state] of updates) checkState('rmspropStep_', p, { ...state });
    for (const [p, grad, { squareAvg, gradAvg, momentumBuffer }] of updates) {
      kernels().rmspropStep(p.dataSync(), grad.dataSync(), squareAvg.dataSync(), gradAvg?.dataSync() ?? null, momentumBuffer?.dataSync() ?? null, hyper);
      bumpVersions(p, squareAvg, gradAvg, momentumBuffer);
    }
  });
}

/** One Adagrad step in place on every parameter that has a gradient, torch.optim.Adagrad's update fused per parameter. */
export function adagradStep_(params: readonly Tensor[], hyper: Omit<AdagradHyper, 'step'>, stateOf: (p: Tensor) => AdagradParamState): void {
  noGrad(() => {
    const updates = withGradients('adagradStep_', params).map(([p, grad]) => [p, grad, stateOf(p)] as const);
    for (const [p, , state] of updates) checkState('adagradStep_', p, { ...state });
    for (const [p, grad, { sum, step }] of updates) {
      kernels().adagradStep(p.dataSync(), grad.dataSync(), sum.dataSync(), { ...hyper, step });
      bumpVersions(p, sum);
    }
  });
}

/**
 * Resets the gradients of `params`, as Module.zeroGrad and Optimizer.zeroGrad do: to null
 * (torch 2's default), which lets a gradient nothing else has read be reused for the next op's
 * output, or to zero in place.
 */
export function zeroGrad_(params: Iterable<Tensor>, setToNone = true): void {
  for (const p of params) {
    if (setToNone) p.grad = null;
    else noGrad(() => p.peekGrad()?.zero_());
  }
}
