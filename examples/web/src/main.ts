/**
 * The page: settings, progress and charts of the training the worker runs, the drawing pad with
 * live predictions, model exchange, and the confusion matrix. All the math is in the worker.
 */
import { decodeDigits, PIXELS } from './digits';
import type { ImageSet } from '../../src/data/modelInputs';
import { toMnist } from './preprocess';
import type { FromWorker, ToWorker, TrainSettings } from './protocol';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  status: $('status'),
  form: $<HTMLFormElement>('settings'),
  model: $<HTMLSelectElement>('model'),
  batch: $<HTMLInputElement>('batch'),
  lr: $<HTMLInputElement>('lr'),
  epochs: $<HTMLInputElement>('epochs'),
  threads: $<HTMLSelectElement>('threads'),
  train: $<HTMLButtonElement>('train'),
  pause: $<HTMLButtonElement>('pause'),
  stop: $<HTMLButtonElement>('stop'),
  progress: $<HTMLProgressElement>('progress'),
  speed: $('speed'),
  lossChart: $('loss-chart') as unknown as SVGSVGElement,
  accChart: $('acc-chart') as unknown as SVGSVGElement,
  pad: $<HTMLCanvasElement>('pad'),
  clear: $<HTMLButtonElement>('clear'),
  sample: $<HTMLButtonElement>('sample'),
  guess: $('guess'),
  bars: $('bars'),
  exchange: $('exchange'),
  file: $<HTMLInputElement>('file'),
  download: $<HTMLButtonElement>('download'),
  confusion: $<HTMLTableElement>('confusion'),
};

const worker = new Worker('worker.js');
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

/** What the page shows and the test reads (window.wick). */
const state = {
  ready: false,
  training: false,
  hasModel: false,
  losses: [] as number[],
  stepMs: [] as number[],
  epochs: [] as { epoch: number; trainAcc: number; testAcc: number }[],
  testAcc: null as number | null,
  lastPrediction: null as { digit: number; probabilities: number[] } | null,
  predictions: 0,
  threads: 0,
  trainingThreads: 0,
  chartUpdates: 0,
  error: null as string | null,
};
let testSet: ImageSet | null = null;
let sampleIndex = 0;

// ---- charts ---------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Draws series (values against their index) as polylines in the chart's 400 x 150 box, the y axis
 * from bottom to top (labelled), with a dot per value where there are few.
 */
function drawChart(svg: SVGSVGElement, series: { values: number[]; colour: string }[], bottom: number, top: number, format: (v: number) => string): void {
  const length = Math.max(2, ...series.map((s) => s.values.length));
  const xOf = (i: number) => 40 + (352 * i) / (length - 1);
  const yOf = (v: number) => 140 - (130 * (Math.min(top, Math.max(bottom, v)) - bottom)) / (top - bottom || 1);
  const element = (name: string, attributes: Record<string, string>, text?: string) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  svg.replaceChildren(
    element('text', { x: '2', y: '14', 'font-size': '10', fill: '#555' }, format(top)),
    element('text', { x: '2', y: '143', 'font-size': '10', fill: '#555' }, format(bottom)),
    element('line', { x1: '38', y1: '8', x2: '38', y2: '142', stroke: '#ccc' }),
  );
  for (const { values, colour } of series) {
    svg.append(element('polyline', { points: values.map((v, i) => `${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': '1.5' }));
    if (values.length <= 50) values.forEach((v, i) => svg.append(element('circle', { cx: xOf(i).toFixed(1), cy: yOf(v).toFixed(1), r: '3', fill: colour })));
  }
  state.chartUpdates++;
}

/** fn, run at most once per animation frame however often it is asked for. */
function oncePerFrame(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

const queueCharts = oncePerFrame(() => {
  drawChart(ui.lossChart, [{ values: state.losses, colour: '#2a6fdb' }], 0, Math.max(1e-6, ...state.losses), (v) => v.toFixed(2));
  const accuracies = state.epochs.flatMap((e) => [e.trainAcc, e.testAcc]);
  const floor = Math.min(0.9, Math.floor(10 * Math.min(1, ...accuracies)) / 10);
  const percent = (v: number) => `${Math.round(100 * v)}%`;
  drawChart(ui.accChart, [
    { values: state.epochs.map((e) => e.trainAcc), colour: '#2a6fdb' },
    { values: state.epochs.map((e) => e.testAcc), colour: '#d9480f' },
  ], floor, 1, percent);
});

function showConfusion(confusion: number[][]): void {
  const head = `<tr><th></th>${confusion.map((_, j) => `<th scope="col">${j}</th>`).join('')}</tr>`;
  const rows = confusion.map((row, i) => `<tr><th scope="row">${i}</th>${row.map((n, j) => `<td${i === j ? ' class="hit"' : ''}>${n}</td>`).join('')}</tr>`);
  ui.confusion.innerHTML = `<caption>Rows: true digit; columns: predicted.</caption>${head}${rows.join('')}`;
}

// ---- training -------------------------------------------------------------------------------

function settings(): TrainSettings {
  const threads = ui.threads.value === 'auto' ? 'auto' : (Number(ui.threads.value) as 1 | 2);
  return { model: ui.model.value as TrainSettings['model'], batchSize: Number(ui.batch.value), lr: Number(ui.lr.value), epochs: Number(ui.epochs.value), seed: 0, threads };
}

ui.model.addEventListener('change', () => {
  ui.lr.value = ui.model.value === 'cnn' ? '1' : '0.001';
});

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const s = settings();
  if (!(s.batchSize >= 1 && s.lr > 0 && s.epochs >= 1)) {
    ui.status.textContent = 'Batch size, learning rate and epochs must be positive.';
    return;
  }
  Object.assign(state, { training: true, losses: [], stepMs: [], epochs: [], testAcc: null });
  ui.train.disabled = true;
  ui.pause.disabled = false;
  ui.stop.disabled = false;
  ui.pause.textContent = 'Pause';
  ui.status.textContent = `Training the ${s.model} for ${s.epochs} epochs…`;
  send({ kind: 'train', settings: s });
});

ui.pause.addEventListener('click', () => {
  const pausing = ui.pause.textContent === 'Pause';
  send({ kind: pausing ? 'pause' : 'resume' });
  ui.pause.textContent = pausing ? 'Resume' : 'Pause';
});
ui.stop.addEventListener('click', () => send({ kind: 'stop' }));

// ---- drawing --------------------------------------------------------------------------------

const pen = ui.pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
function clearPad(): void {
  pen.fillStyle = 'black';
  pen.fillRect(0, 0, ui.pad.width, ui.pad.height);
  ui.bars.replaceChildren();
  ui.guess.textContent = state.hasModel ? 'Draw a digit.' : 'Train or load a model, then draw.';
}
clearPad();

let drawing = false;
let last: [number, number] = [0, 0];
const at = (e: PointerEvent): [number, number] => {
  const box = ui.pad.getBoundingClientRect();
  return [((e.clientX - box.left) * ui.pad.width) / box.width, ((e.clientY - box.top) * ui.pad.height) / box.height];
};
ui.pad.addEventListener('pointerdown', (e) => {
  drawing = true;
  ui.pad.setPointerCapture(e.pointerId);
  last = at(e);
  stroke(last);
});
ui.pad.addEventListener('pointermove', (e) => {
  if (drawing) stroke(at(e));
});
const lift = () => {
  if (!drawing) return;
  drawing = false;
  classifyPad();
};
ui.pad.addEventListener('pointerup', lift);
ui.pad.addEventListener('pointercancel', lift);

function stroke(to: [number, number]): void {
  pen.strokeStyle = 'white';
  pen.lineWidth = 18;
  pen.lineCap = 'round';
  pen.beginPath();
  pen.moveTo(...last);
  pen.lineTo(...to);
  pen.stroke();
  last = to;
  queueClassify();
}

/** The pad's ink as MNIST pixels, sent to the worker for a prediction. */
function classifyPad(): void {
  if (!state.hasModel) return;
  const { data } = pen.getImageData(0, 0, ui.pad.width, ui.pad.height);
  const ink = new Float32Array(ui.pad.width * ui.pad.height);
  for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i] / 255;
  const pixels = toMnist(ink, ui.pad.width, ui.pad.height);
  if (pixels !== null) send({ kind: 'predict', id: 0, images: pixels }, [pixels.buffer]);
}

const queueClassify = oncePerFrame(classifyPad);

function showProbabilities(probabilities: Float32Array): void {
  const values = Array.from(probabilities);
  const digit = values.indexOf(Math.max(...values));
  state.lastPrediction = { digit, probabilities: values };
  state.predictions++;
  ui.guess.textContent = `It looks like a ${digit} (${(100 * values[digit]).toFixed(1)}%).`;
  ui.bars.replaceChildren(
    ...values.map((p, d) => {
      const bar = document.createElement('div');
      bar.style.height = `${Math.max(1, 90 * p)}px`;
      bar.className = d === digit ? 'best' : '';
      bar.title = `${d}: ${(100 * p).toFixed(1)}%`;
      const label = document.createElement('span');
      label.textContent = String(d);
      bar.append(label);
      return bar;
    }),
  );
}

ui.clear.addEventListener('click', clearPad);
ui.sample.addEventListener('click', () => {
  if (testSet === null) return;
  const i = sampleIndex++ % testSet.count;
  const image = pen.createImageData(28, 28);
  for (let p = 0; p < PIXELS; p++) {
    const v = Math.round(255 * testSet.images[i * PIXELS + p]);
    image.data.set([v, v, v, 255], 4 * p);
  }
  const small = document.createElement('canvas');
  small.width = small.height = 28;
  (small.getContext('2d') as CanvasRenderingContext2D).putImageData(image, 0, 0);
  pen.imageSmoothingEnabled = true;
  pen.drawImage(small, 0, 0, ui.pad.width, ui.pad.height);
  ui.guess.textContent = `Held-out digit ${i} (labelled ${testSet.labels[i]}).`;
  if (state.hasModel) send({ kind: 'predict', id: 0, images: testSet.images.slice(i * PIXELS, (i + 1) * PIXELS) });
});

// ---- exchange -------------------------------------------------------------------------------

async function loadFile(file: File): Promise<void> {
  ui.status.textContent = `Loading ${file.name}…`;
  const bytes = new Uint8Array(await file.arrayBuffer());
  send({ kind: 'load', bytes }, [bytes.buffer]);
}
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (file) void loadFile(file);
});
ui.exchange.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.exchange.classList.add('dragging');
});
ui.exchange.addEventListener('dragleave', () => ui.exchange.classList.remove('dragging'));
ui.exchange.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.exchange.classList.remove('dragging');
  const file = e.dataTransfer?.files[0];
  if (file) void loadFile(file);
});
ui.download.addEventListener('click', () => send({ kind: 'save' }));

function saveBytes(bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'model.safetensors';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- the worker's reports -------------------------------------------------------------------

function modelReady(): void {
  if (!state.hasModel && state.lastPrediction === null) ui.guess.textContent = 'Draw a digit, or show a held-out one.';
  state.hasModel = true;
  ui.download.disabled = false;
  ui.sample.disabled = false;
}

/** A model trained or loaded: its held-out accuracy in the status line and its confusion matrix. */
function showResult(lead: string, testAcc: number, confusion: number[][]): void {
  state.testAcc = testAcc;
  ui.status.textContent = `${lead}: ${(100 * testAcc).toFixed(2)}% of the held-out digits right.`;
  showConfusion(confusion);
  modelReady();
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.kind) {
    case 'ready':
      state.ready = true;
      ui.train.disabled = false;
      ui.sample.disabled = false;
      state.threads = m.threads;
      if (m.threads < 2) ui.threads.querySelector('option[value="2"]')?.remove();
      ui.status.textContent = `${m.trainCount} digits to train on, ${m.testCount} held out; ${m.backend} backend, up to ${m.threads} thread${m.threads > 1 ? 's' : ''}.`;
      return;
    case 'step':
      state.losses.push(m.loss);
      state.stepMs.push(m.ms);
      ui.progress.value = (m.epoch - 1 + m.step / m.steps) / Number(ui.epochs.value);
      ui.speed.textContent = `Epoch ${m.epoch}, step ${m.step}/${m.steps}: loss ${m.loss.toFixed(4)}, ${Math.round(m.samplesPerSecond)} samples/s, ${m.ms.toFixed(1)} ms/step on ${m.threads} thread${m.threads > 1 ? 's' : ''}`;
      state.trainingThreads = m.threads;
      if (m.epoch === 1 && m.step === 1) modelReady();
      queueCharts();
      return;
    case 'epoch':
      state.epochs.push({ epoch: m.epoch, trainAcc: m.trainAcc, testAcc: m.testAcc });
      queueCharts();
      return;
    case 'done':
      state.training = false;
      ui.train.disabled = false;
      ui.pause.disabled = true;
      ui.stop.disabled = true;
      ui.progress.value = m.stopped ? ui.progress.value : 1;
      showResult(m.stopped ? 'Stopped' : 'Done', m.testAcc, m.confusion);
      return;
    case 'predicted':
      showProbabilities(m.probabilities);
      return;
    case 'loaded':
      showResult(`Loaded a ${m.model}`, m.testAcc, m.confusion);
      return;
    case 'saved':
      saveBytes(m.bytes);
      return;
    case 'error':
      state.error = m.message;
      ui.status.textContent = `Error: ${m.message}`;
      state.training = false;
      ui.train.disabled = !state.ready;
      return;
  }
};

void fetch('digits.bin')
  .then((r) => r.arrayBuffer())
  .then((buffer) => {
    testSet = decodeDigits(buffer).test;
  });

declare global {
  interface Window {
    /** The page's state, for the browser test. */
    wick: typeof state;
  }
}
window.wick = state;
