import type { Strided } from '../types';
import { isDense, numelOf } from '../../shape';
import { forEachRow } from './strided';

export function copy(src: Strided, dst: Strided, shape: readonly number[]): void {
  const s = src.data;
  const d = dst.data;
  const toBool = d instanceof Uint8Array && !(s instanceof Uint8Array);
  if (!toBool && isDense(shape, src.strides) && isDense(shape, dst.strides)) {
    // A dense block: one native copy (TypedArray.set converts between number types).
    d.set(s.subarray(src.offset, src.offset + numelOf(shape)), dst.offset);
    return;
  }
  forEachRow(shape, [src.strides, dst.strides], [src.offset, dst.offset], (off, _i, len, st) => {
    let si = off[0];
    let di = off[1];
    const ss = st[0];
    const ds = st[1];
    if (toBool) {
      for (let j = 0; j < len; j++, si += ss, di += ds) d[di] = s[si] !== 0 ? 1 : 0;
    } else {
      for (let j = 0; j < len; j++, si += ss, di += ds) d[di] = s[si];
    }
  });
}

export function fill(dst: Strided, shape: readonly number[], value: number): void {
  const d = dst.data;
  forEachRow(shape, [dst.strides], [dst.offset], (off, _i, len, st) => {
    for (let j = 0, di = off[0]; j < len; j++, di += st[0]) d[di] = value;
  });
}
