import { confusionMatrix, formatConfusion } from './confusion';
import { curvesSvg } from './curves';

test('confusion matrix counts true against predicted', () => {
  const m = confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], 3);
  expect(m).toEqual([[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
  expect(formatConfusion(m).split('\n')[2]).toBe(`1${' '.repeat(13)}0    1    1`);
});

test('the curves picture is an SVG with a line per series', () => {
  const svg = curvesSvg(
    [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 1 / epoch, trainAcc: 0.8 + epoch / 100, testAcc: 0.79 + epoch / 100, seconds: 1 })),
    'run <1>',
  );
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.match(/<polyline/g)).toHaveLength(3);
  expect(svg).toContain('run &lt;1>');
});
