import type { FastKernels } from '../kernels';
import { float32, type Arena, type Span } from './arena';

/** The SGD, Adam and Adadelta updates in place on float32 parameters and state. */
export function optimKernels(arena: Arena): FastKernels {
  const kernels = arena.kernels;
  return {
    sgdStep: {
      supports: (param, grad, momentumBuffer, h) => !h.maximize && float32(param, grad, momentumBuffer),
      run(param, grad, momentumBuffer, h) {
        const n = param.length;
        const spans: Span[] = [[param, 0, n, 'inout'], [grad, 0, n, 'in']];
        if (momentumBuffer !== null) spans.push([momentumBuffer, 0, n, 'inout']);
        arena.run(spans, ([p, g, buf = 0]) =>
          kernels.sgd(p, g, buf, n, h.lr, h.momentum, h.dampening, h.nesterov ? 1 : 0, h.weightDecay, h.firstStep ? 1 : 0),
        );
      },
    },
    adadeltaStep: {
      supports: (param, grad, squareAvg, accDelta) => float32(param, grad, squareAvg, accDelta),
      run(param, grad, squareAvg, accDelta, h) {
        const n = param.length;
        arena.run([[param, 0, n, 'inout'], [grad, 0, n, 'in'], [squareAvg, 0, n, 'inout'], [accDelta, 0, n, 'inout']], ([p, g, v, u]) =>
          kernels.adadelta(p, g, v, u, n, h.lr, h.rho, h.eps, h.weightDecay, h.maximize ? -1 : 1),
        );
      },
    },
    adamStep: {
      supports: (param, grad, expAvg, expAvgSq, maxExpAvgSq) => float32(param, grad, expAvg, expAvgSq, maxExpAvgSq),
      run(param, grad, expAvg, expAvgSq, maxExpAvgSq, h) {
        const n = param.length;
        const spans: Span[] = [[param, 0, n, 'inout'], [grad, 0, n, 'in'], [expAvg, 0, n, 'inout'], [expAvgSq, 0, n, 'inout']];
        if (maxExpAvgSq !== null) spans.push([maxExpAvgSq, 0, n, 'inout']);
        const stepSize = h.lr / (1 - Math.pow(h.beta1, h.step));
        const bc2Sqrt = Math.sqrt(1 - Math.pow(h.beta2, h.step));
        arena.run(spans, ([p, g, m, v, vmax = 0]) =>
          kernels.adam(p, g, m, v, vmax, n, h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, h.decoupledWeightDecay ? 1 : 0, stepSize, bc2Sqrt),
        );
      },
    },
  };
}
