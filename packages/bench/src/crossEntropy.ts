/**
 * Forward + backward of the fused CrossEntropyLoss against the unfused NLLLoss(LogSoftmax(x))
 * on the same inputs, interleaved in one run. Prints median ms and the ratio.
 */
import { manualSeed, randint, randn } from '@wick/core';
import { CrossEntropyLoss, LogSoftmax, NLLLoss } from '@wick/nn';
import { interleaved, medianMs } from './timing';

async function main(): Promise<void> {
  manualSeed(0);
  const ce = new CrossEntropyLoss();
  const nll = new NLLLoss();
  const logSoftmax = new LogSoftmax(1);
  console.log('CrossEntropyLoss forward+backward: fused op vs NLLLoss(LogSoftmax(x)), median ms');
  console.log('shape          fused     unfused   unfused/fused');
  for (const [n, c, rounds, runs] of [[64, 10, 7, 200], [4096, 1000, 5, 3]]) {
    const x = randn([n, c], { requiresGrad: true });
    const y = randint(0, c, [n]);
    const fused = () => {
      x.grad = null;
      ce.forward(x, y).backward();
    };
    const unfused = () => {
      x.grad = null;
      nll.forward(logSoftmax.forward(x), y).backward();
    };
    const times = await interleaved({ fused: () => medianMs(fused, runs, 1), unfused: () => medianMs(unfused, runs, 1) }, rounds);
    const label = `(${n}, ${c})`.padEnd(14);
    console.log(`${label} ${times.fused.toFixed(3).padStart(8)}  ${times.unfused.toFixed(3).padStart(8)}   ${(times.unfused / times.fused).toFixed(2)}x`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
