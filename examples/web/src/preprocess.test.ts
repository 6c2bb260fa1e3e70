import { toMnist } from './preprocess';

function canvas(width: number, height: number, fill: (x: number, y: number) => number): Float32Array {
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) ink[y * width + x] = fill(x, y);
  return ink;
}

function centreOfMass(pixels: Float32Array): [number, number, number] {
  let [m, cx, cy] = [0, 0, 0];
  pixels.forEach((v, i) => {
    m += v;
    cx += v * ((i % 28) + 0.5);
    cy += v * (Math.floor(i / 28) + 0.5);
  });
  return [m, cx / m, cy / m];
}

describe('toMnist: a drawing as MNIST digits were made', () => {
  test('nothing drawn gives null', () => {
    expect(toMnist(new Float32Array(100 * 100), 100, 100)).toBeNull();
  });

  test('a tall stroke in a corner: scaled to 20 pixels high, aspect kept, centre of mass at the centre', () => {
    // A 20 x 80 bar at the top left of a 280 x 280 canvas.
    const out = toMnist(canvas(280, 280, (x, y) => (x >= 10 && x < 30 && y >= 5 && y < 85 ? 1 : 0)), 280, 280) as Float32Array;
    const rows = [...Array(28).keys()].filter((y) => [...Array(28).keys()].some((x) => out[y * 28 + x] > 0));
    const cols = [...Array(28).keys()].filter((x) => rows.some((y) => out[y * 28 + x] > 0));
    expect(rows.length).toBe(20);
    expect(cols.length).toBe(5);
    const [mass, cx, cy] = centreOfMass(out);
    expect(mass).toBeCloseTo(100, 0);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
  });

  test('intensities stay in [0, 1] and partial coverage gives grey edges', () => {
    const out = toMnist(canvas(90, 90, (x, y) => ((x - 45) ** 2 + (y - 45) ** 2 < 30 ** 2 ? 1 : 0)), 90, 90) as Float32Array;
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(out.some((v) => v > 0.05 && v < 0.95)).toBe(true);
  });
});
