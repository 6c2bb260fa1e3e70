import { existsSync } from 'node:fs';
import type { Tensor } from '@wick/core';
import { loadWithMetadata, save, type StateDict, type optim } from '@wick/nn';
import type { Checkpoint } from './trainer';

/** The checkpoint's file name in a run's directory. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/** Bumped when the layout below changes, so an old checkpoint is refused by name, not misread. */
const VERSION = 1;

const MODEL = 'model.';
const OPTIMIZER = 'optimizer.';

/** What the metadata holds: the checkpoint without its tensors, random states in base64. */
interface Saved extends Omit<Checkpoint, 'model' | 'optimizer' | 'rngAtEpochStart' | 'rng'> {
  version: number;
  data: string;
  optimizer: { param_groups: optim.OptimizerStateDict['param_groups']; numbers: Record<number, Record<string, number>> };
  rngAtEpochStart: string;
  rng: string;
}

/**
 * Writes a checkpoint as one safetensors file, atomically: the model's tensors under `model.`,
 * the optimizer's per-parameter tensors under `optimizer.<index>.<name>`, everything else as JSON
 * in the metadata. One file written whole, so a crash mid-write leaves the previous checkpoint.
 * `data` describes the training data, so that a resume on other data can be refused.
 */
export function writeCheckpoint(path: string, checkpoint: Checkpoint, data: string): void {
  const { model, optimizer, rngAtEpochStart, rng, ...rest } = checkpoint;
  const tensors: StateDict = {};
  for (const [k, v] of Object.entries(model)) tensors[MODEL + k] = v;
  const numbers: Record<number, Record<string, number>> = {};
  for (const [i, state] of Object.entries(optimizer.state)) {
    for (const [name, v] of Object.entries(state)) {
      if (typeof v === 'number') (numbers[Number(i)] ??= {})[name] = v;
      else tensors[`${OPTIMIZER}${i}.${name}`] = v;
    }
  }
  const saved: Saved = {
    ...rest,
    version: VERSION,
    data,
    optimizer: { param_groups: optimizer.param_groups, numbers },
    rngAtEpochStart: Buffer.from(rngAtEpochStart).toString('base64'),
    rng: Buffer.from(rng).toString('base64'),
  };
  save(tensors, path, { format: 'wick-checkpoint', checkpoint: JSON.stringify(saved) });
}

/**
 * Reads a checkpoint written by writeCheckpoint, with the description of the data it was trained
 * on; refuses (naming the path and the problem) a file that is not one or is of another version.
 */
export function readCheckpoint(path: string): { checkpoint: Checkpoint; data: string } {
  if (!existsSync(path)) throw new Error(`${path}: no checkpoint here to resume from`);
  const { tensors, metadata } = loadWithMetadata(path);
  const fail = (problem: string): never => {
    throw new Error(`${path}: ${problem}`);
  };
  if (metadata.format !== 'wick-checkpoint' || metadata.checkpoint === undefined) fail('is not a checkpoint of pnpm train (its metadata has no checkpoint)');
  let saved: Saved;
  try {
    saved = JSON.parse(metadata.checkpoint) as Saved;
  } catch (e) {
    return fail(`the checkpoint's metadata is not JSON (${(e as Error).message})`);
  }
  if (typeof saved !== 'object' || saved === null) fail(`the checkpoint's metadata is not an object`);
  const { version, data, optimizer, rngAtEpochStart, rng, ...rest } = saved;
  if (version !== VERSION) fail(`is a checkpoint of version ${String(version)}; this pnpm train reads version ${VERSION}`);
  for (const key of ['config', 'optimizer', 'history', 'stepLosses', 'rng', 'rngAtEpochStart', 'data'] as const) {
    if (saved[key] === undefined || saved[key] === null) fail(`the checkpoint has no ${key}`);
  }
  const model: StateDict = {};
  const state: Record<number, Record<string, Tensor | number>> = {};
  for (const [i, numbers] of Object.entries(optimizer.numbers)) state[Number(i)] = { ...numbers };
  for (const [key, v] of Object.entries(tensors)) {
    if (key.startsWith(MODEL)) model[key.slice(MODEL.length)] = v;
    else if (key.startsWith(OPTIMIZER)) {
      const [i, name] = key.slice(OPTIMIZER.length).split('.');
      if (!/^\d+$/.test(i) || name === undefined) fail(`tensor '${key}' is not optimizer.<index>.<name>`);
      (state[Number(i)] ??= {})[name] = v;
    } else fail(`tensor '${key}' belongs to neither the model nor the optimizer`);
  }
  const checkpoint: Checkpoint = {
    ...rest,
    model,
    optimizer: { state, param_groups: optimizer.param_groups },
    rngAtEpochStart: new Uint8Array(Buffer.from(rngAtEpochStart, 'base64')),
    rng: new Uint8Array(Buffer.from(rng, 'base64')),
  };
  return { checkpoint, data };
}
