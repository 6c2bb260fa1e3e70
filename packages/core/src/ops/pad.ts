import { traced } from '../autograd/trace';
import { checkOptions } from '../options';
import { formatShape } from '../shape';
import { full, tensor } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { cat, narrow } from './shape';

/** How pad fills: a constant, the mirror image without the edge, the edge repeated, or wrapping around. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Options of pad. */
export interface PadOptions {
  /** 'constant' (default), 'reflect', 'replicate' or 'circular'. */
  mode?: PadMode;
  /** The fill value of 'constant' mode (default 0). */
  value?: number;
}

/** The source index along a dim of `size` for padded position i (from -before), per mode. */
function sourceIndex(mode: Exclude<PadMode, 'constant'>, i: number, size: number): number {
  if (mode === 'replicate') return Math.min(Math.max(i, 0), size - 1);
  if (mode === 'circular') return ((i % size) + size) % size;
  return i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
}

/** One dim padded by `before` and `after` (negative values crop in 'constant' mode). */
function padDim(x: Tensor, dim: number, before: number, after: number, mode: PadMode, value: number): Tensor {
  const size = x.shape[dim];
  if (mode === 'constant') {
    let out = x;
    if (before < 0 || after < 0) out = narrow(out, dim, Math.max(-before, 0), size - Math.max(-before, 0) - Math.max(-after, 0));
    const block = (n: number) => full(out.shape.map((s, d) => (d === dim ? n : s)), value, { dtype: x.dtype });
    const parts = [...(before > 0 ? [block(before)] : []), out, ...(after > 0 ? [block(after)] : [])];
    return parts.length === 1 ? out : cat(parts, dim);
  }
  const limit = mode === 'reflect' ? size - 1 : mode === 'circular' ? size : Infinity;
  if (before < 0 || after < 0 || before > limit || after > limit || size === 0) {
    throw new Error(
      `pad: ${mode} padding of (${before}, ${after}) does not fit dim ${dim} of size ${size} in shape ${formatShape(x.shape)}` +
        (mode === 'reflect' ? ' (it must be smaller than the size)' : mode === 'circular' ? ' (it must be at most the size)' : ''),
    );
  }
  const index = Float64Array.from({ length: before + size + after }, (_, k) => sourceIndex(mode, k - before, size));
  return x.indexSelect(dim, tensor(index, { dtype: 'int64' }));
}

/**
 * Pads the last dims of `input`, as torch.nn.functional.pad: `pad` holds (before, after) pairs
 * starting from the last dim, [left, right, top, bottom, ...]. Differentiable in the input.
 */
export const pad = traced('pad', function pad(input: Tensor, padding: readonly number[], options: PadOptions = {}): Tensor {
  checkOptions('pad', options, ['mode', 'value']);
  const { mode = 'constant', value = 0 } = options;
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new Error(`pad: unknown mode '${String(mode)}' (expected 'constant', 'reflect', 'replicate' or 'circular')`);
  }
  if (padding.length % 2 !== 0 || padding.length / 2 > input.ndim || !padding.every(Number.isInteger)) {
    throw new Error(`pad: padding must be integer (before, after) pairs for at most ${input.ndim} dims, got [${padding.join(', ')}]`);
  }
  if (mode !== 'constant' && value !== 0) throw new Error(`pad: a fill value (${value}) only applies to 'constant' mode, not '${mode}'`);
  let out = input;
  for (let k = 0; k < padding.length / 2; k++) {
    out = padDim(out, input.ndim - 1 - k, padding[2 * k], padding[2 * k + 1], mode, value);
  }
  return out;
});
