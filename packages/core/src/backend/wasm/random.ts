import { MT_WORDS, bernoulliThreshold } from '../cpu/mt19937';
import type { FastKernels } from '../kernels';
import { float32, type Arena } from './arena';

/** Bernoulli draws from an mt19937 stream into float32 (assembly/random.ts), the stream copied in and its new position and words back. */
export function randomKernels(arena: Arena): FastKernels {
  return {
    bernoulli: {
      supports: (_stream, _p, out) => float32(out),
      run(stream, p, out) {
        const { high, low } = bernoulliThreshold(p);
        const [state, outPtr] = arena.layout([8 + 4 * MT_WORDS, 4 * out.length]);
        arena.putInts([stream.left, stream.next], state);
        arena.putInts(stream.words, state + 8);
        arena.kernels.bernoulli(state, outPtr, out.length, high, low);
        const [left, next] = arena.takeInts(state, 2, new Int32Array(2));
        stream.left = left;
        stream.next = next;
        arena.takeInts(state + 8, MT_WORDS, stream.words);
        arena.take(outPtr, out.length, out);
      },
    },
  };
}
