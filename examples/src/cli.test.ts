import { parseCli, UsageError } from './cli';

describe('the training CLI', () => {
  test('defaults: 15 epochs, batch 64, adam at 1e-3, cross-entropy', () => {
    expect(parseCli([])).toEqual({
      model: 'mlp', epochs: 15, batchSize: 64, lr: 1e-3, optimizer: 'adam', gamma: 1, overwrite: false, seed: 0, dataDir: undefined, outDir: undefined, loss: 'cross-entropy', hidden: 128, threads: 'auto', backend: 'wasm',
    });
  });

  test('flags override them', () => {
    const c = parseCli(['--epochs', '3', '--batch-size', '32', '--optimizer', 'sgd', '--loss', 'nll', '--out', 'x', '--seed', '5']);
    expect(c).toMatchObject({ epochs: 3, batchSize: 32, optimizer: 'sgd', lr: 0.05, loss: 'nll', outDir: 'x', seed: 5 });
    expect(parseCli(['--help'])).toBeNull();
    expect(parseCli(['--threads', '1'], 2)).toMatchObject({ threads: 1 });
    expect(parseCli(['--threads', 'auto'], 2)).toMatchObject({ threads: 'auto' });
  });

  test.each([
    [['--epochs', '0'], "--epochs must be a positive integer, got '0'"],
    [['--batch-size', '6.5'], "--batch-size must be a positive integer, got '6.5'"],
    [['--lr', 'fast'], "--lr must be a positive number, got 'fast'"],
    [['--optimizer', 'rmsprop'], "--optimizer must be one of adam, adamw, sgd, adadelta, got 'rmsprop'"],
    [['--loss', 'mse'], "--loss must be one of cross-entropy, nll, got 'mse'"],
    [['--data', '/no/such/dir'], "--data must be a directory of IDX files, got '/no/such/dir'"],
    [['--threads', '0'], "--threads must be a positive integer or auto, got '0'"],
    [['--threads', 'many'], "--threads must be a positive integer or auto, got 'many'"],
    [['--threads', '999'], '--threads must be at most'],
    [['--epochs', '-1'], "--epochs must be a positive integer, got '-1'"],
    [['--lr', '-0.5'], "--lr must be a positive number, got '-0.5'"],
    [['--out', ''], "--out must name a directory, got ''"],
    [['--backend', 'gpu'], "--backend must be one of wasm, cpu, got 'gpu'"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--resume', '/no/such/run'], "--resume must be the directory of a run, got '/no/such/run'"],
    [['--resume', '.', '--lr', '0.1', '--seed', '2'], '--resume continues a run with the options it was started with; it takes no other option, got --lr, --seed'],
  ])('%j is refused', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });
  test('--resume DIR asks to continue the run in DIR', () => {
    expect(parseCli(['--resume', '.'])).toEqual({ resume: '.' });
  });

  test('--model names the architecture', () => {
    expect(parseCli(['--model', 'mlp'])).toMatchObject({ model: 'mlp' });
    expect(() => parseCli(['--model', 'resnet'])).toThrow("--model must be one of mlp, cnn, got 'resnet'");
    expect(parseCli(['--model', 'cnn'])).toMatchObject({ model: 'cnn', optimizer: 'adadelta', lr: 1, gamma: 0.7, epochs: 14, batchSize: 64 });
    expect(() => parseCli(['--model', 'cnn', '--hidden', '64'])).toThrow('--hidden applies to --model mlp only');
    expect(() => parseCli(['--gamma', '0'])).toThrow("--gamma must be a number in (0, 1], got '0'");
  });
});
