import type { ModelKind } from '../../src/data/modelInputs';

/** The page's training settings. */
export interface TrainSettings {
  model: ModelKind;
  batchSize: number;
  lr: number;
  epochs: number;
  seed: number;
  /** Threads for the GEMM: 'auto' takes as many as the page has (two where it is cross-origin isolated on two cores). */
  threads: 'auto' | 1 | 2;
}

/** Messages from the page to the training worker. */
export type ToWorker =
  | { kind: 'train'; settings: TrainSettings }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'stop' }
  | { kind: 'predict'; id: number; images: Float32Array }
  | { kind: 'load'; bytes: Uint8Array }
  | { kind: 'save' };

/** Messages from the training worker to the page. */
export type FromWorker =
  | { kind: 'ready'; trainCount: number; testCount: number; backend: string; threads: number }
  | { kind: 'step'; epoch: number; step: number; steps: number; loss: number; samplesPerSecond: number; ms: number; threads: number }
  | { kind: 'epoch'; epoch: number; trainAcc: number; testAcc: number }
  | { kind: 'done'; confusion: number[][]; testAcc: number; stopped: boolean }
  | { kind: 'predicted'; id: number; probabilities: Float32Array }
  | { kind: 'loaded'; model: ModelKind; testAcc: number; confusion: number[][] }
  | { kind: 'saved'; bytes: Uint8Array }
  | { kind: 'error'; message: string };
