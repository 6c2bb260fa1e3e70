import type { Storage } from '../../dtype';

export function gather(
  x: Storage, index: Storage, outer: number, size: number, indexSize: number, inner: number, out: Storage,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < indexSize; j++) {
      const at = (o * indexSize + j) * inner;
      for (let i = 0; i < inner; i++) out[at + i] = x[(o * size + index[at + i]) * inner + i];
    }
  }
}

export function scatterAdd(
  src: Storage, index: Storage, outer: number, size: number, indexSize: number, inner: number, out: Storage,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < indexSize; j++) {
      const at = (o * indexSize + j) * inner;
      for (let i = 0; i < inner; i++) out[(o * size + index[at + i]) * inner + i] += src[at + i];
    }
  }
}

export function indexSelect(x: Storage, index: Storage, outer: number, size: number, inner: number, out: Storage): void {
  const count = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = (o * size + index[j]) * inner;
      const to = (o * count + j) * inner;
      // out has x's type, so set() is a memcpy: a minibatch of images is a few row copies.
      out.set(x.subarray(from, from + inner), to);
    }
  }
}

export function indexAdd(src: Storage, index: Storage, outer: number, size: number, inner: number, out: Storage): void {
  const count = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const to = (o * size + index[j]) * inner;
      const from = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += src[from + i];
    }
  }
}
