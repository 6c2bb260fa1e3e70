// nn code reaching past core's public API: a kernel, a file inside core, an @internal member.
import { kernels, type Tensor } from '@wick/core';
import { empty } from '@wick/core/src/ops/util';

export function double(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  kernels().binary('add', x.strided(), x.strided(), x.shape, out.storage.data);
  return out;
}
