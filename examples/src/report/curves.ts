export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testAcc: number;
  seconds: number;
}

const W = 360;
const H = 240;
const PAD = { left: 52, right: 16, top: 34, bottom: 40 };

interface Series {
  label: string;
  color: string;
  values: number[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One line chart panel at x offset `dx`, with axes, ticks, title and legend. */
function panel(
  dx: number, title: string, series: Series[], epochs: number[], yFormat: (v: number) => string, legendAtBottom: boolean,
): string {
  const all = series.flatMap((s) => s.values);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const x0 = dx + PAD.left;
  const x1 = dx + W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top;
  const first = epochs[0];
  const last = epochs[epochs.length - 1];
  const sx = (e: number) => (last === first ? (x0 + x1) / 2 : x0 + ((e - first) / (last - first)) * (x1 - x0));
  const sy = (v: number) => y0 - ((v - lo) / (hi - lo)) * (y0 - y1);
  const parts: string[] = [];
  parts.push(`<text x="${dx + W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`);
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    const y = sy(v);
    parts.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y + 4}" text-anchor="end" font-size="10">${esc(yFormat(v))}</text>`);
  }
  const step = Math.max(1, Math.ceil(epochs.length / 8));
  epochs.forEach((e, i) => {
    if (i % step === 0 || i === epochs.length - 1) parts.push(`<text x="${sx(e)}" y="${y0 + 14}" text-anchor="middle" font-size="10">${e}</text>`);
  });
  parts.push(`<text x="${(x0 + x1) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">epoch</text>`);
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${sx(epochs[i]).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    s.values.forEach((v, i) => parts.push(`<circle cx="${sx(epochs[i]).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="2.5" fill="${s.color}"/>`));
    // The legend sits in the corner the curves leave free: top for falling ones, bottom for rising.
    const ly = legendAtBottom ? y0 - 8 - (series.length - k) * 16 : y1 + 4 + k * 16;
    parts.push(`<rect x="${x1 - 90}" y="${ly}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${x1 - 76}" y="${ly + 9}" font-size="11">${esc(s.label)}</text>`);
  });
  return parts.join('\n');
}

/** An SVG picture of the training loss and the train/test accuracy per epoch. */
export function curvesSvg(history: readonly EpochMetrics[], title: string): string {
  const epochs = history.map((h) => h.epoch);
  const loss = panel(0, 'training loss', [{ label: 'train loss', color: '#d62728', values: history.map((h) => h.trainLoss) }], epochs, (v) => v.toFixed(3), false);
  const acc = panel(
    W,
    'accuracy (%)',
    [
      { label: 'train', color: '#1f77b4', values: history.map((h) => 100 * h.trainAcc) },
      { label: 'test', color: '#2ca02c', values: history.map((h) => 100 * h.testAcc) },
    ],
    epochs,
    (v) => v.toFixed(1),
    true,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 24}" viewBox="0 0 ${2 * W} ${H + 24}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W}" y="${H + 18}" text-anchor="middle" font-size="11" fill="#555">${esc(title)}</text>`,
    loss,
    acc,
    '</svg>',
    '',
  ].join('\n');
}
