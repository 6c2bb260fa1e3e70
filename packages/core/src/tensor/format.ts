import type { Tensor } from './tensor';
import { formatShape } from '../shape';

const LINE_WIDTH = 80;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** Formats numbers the way torch's _tensor_str does: one width and style for the whole tensor. */
function numberFormatter(values: readonly number[], dtype: Tensor['dtype']): (v: number) => string {
  if (dtype === 'bool') return (v) => (v !== 0 ? 'true' : 'false');
  if (dtype === 'int64') return (v) => String(v);
  const finite = values.filter((v) => Number.isFinite(v)).map(Math.abs);
  const nonzero = finite.filter((v) => v !== 0);
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  const sci = (v: number): string => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  if (nonzero.length === 0) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  const max = Math.max(...nonzero);
  const min = Math.min(...nonzero);
  const intMode = finite.every((v) => Number.isInteger(v));
  if (intMode) {
    if (max / min > 1000 || max > 1e8) return sci;
    return (v) => special(v) ?? `${v.toFixed(0)}.`;
  }
  if (max / min > 1000 || max > 1e8 || min < 1e-4) return sci;
  return (v) => special(v) ?? v.toFixed(4);
}

/** Indices shown along a dim of `size`: all, or the edges around an ellipsis. */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  if (!summarize || size <= 2 * EDGE_ITEMS) return Array.from({ length: size }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

export function formatTensor(t: Tensor): string {
  const data = t.dataSync();
  const shape = t.shape;
  const summarize = t.numel() > THRESHOLD;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // Only the values that are shown decide the format, as in torch.
  const shown: number[] = [];
  const collect = (depth: number, base: number): void => {
    if (depth === shape.length) {
      shown.push(data[base]);
      return;
    }
    for (const i of shownIndices(shape[depth], summarize)) if (i !== null) collect(depth + 1, base + i * strides[depth]);
  };
  collect(0, 0);
  const fmt = numberFormatter(shown, t.dtype);
  const width = Math.max(0, ...shown.map((v) => fmt(v).length));
  const pad = (s: string): string => s.padStart(width);

  const prefix = 'tensor(';
  const render = (depth: number, base: number, indent: number): string => {
    if (depth === shape.length) return pad(fmt(data[base]));
    const idx = shownIndices(shape[depth], summarize);
    if (depth === shape.length - 1) {
      const items = idx.map((i) => (i === null ? ' ...' : pad(fmt(data[base + i * strides[depth]]))));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const rows = idx.map((i) => (i === null ? '...' : render(depth + 1, base + i * strides[depth], indent + 1)));
    const sep = `,${'\n'.repeat(shape.length - depth - 1)}${' '.repeat(indent + 1)}`;
    return `[${rows.join(sep)}]`;
  };

  let body: string;
  if (t.numel() === 0) body = '[]';
  else body = render(0, 0, prefix.length);
  const suffixes: string[] = [];
  if (t.numel() === 0 && !(shape.length === 1 && shape[0] === 0)) suffixes.push(`size=${formatShape(shape)}`);
  if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') suffixes.push(`dtype=${t.dtype}`);
  if (t.gradFn !== null) suffixes.push(`gradFn=${t.gradFn.toString()}`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  return `${prefix}${[body, ...suffixes].join(', ')})`;
}
