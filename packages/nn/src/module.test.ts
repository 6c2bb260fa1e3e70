import { Tensor, full, manualSeed, noGrad, ones, tensor, zeros } from '@wick/core';
import {
  BCELoss, BCEWithLogitsLoss, BatchNorm1d, CrossEntropyLoss, Dropout, ELU, Flatten, GELU, Hardtanh, HuberLoss, KLDivLoss, L1Loss, LeakyReLU, Linear, LogSigmoid,
  LogSoftmax, MSELoss, Module, ModuleDict, ModuleList, Parameter, ReLU, Sequential, SiLU, SmoothL1Loss, Softmax, Softplus, F,
} from './index';
import { describeEachBackend } from '@wick/test-harness';

// The implicit-dim warning comes once per process, as torch's: on the first backend's run.
let warnings = 0;

// Every test here runs on each backend this platform has.
describeEachBackend('modules', () => {
  class MLP extends Module {
    fc1 = new Linear(4, 3);
    act = new ReLU();
    fc2 = new Linear(3, 2);
    forward(x: Tensor): Tensor {
      return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
    }
  }

  describe('Module', () => {
    test('parameters register in declaration order with torch names', () => {
      const m = new MLP();
      expect(m.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
      expect(m.parameters().every((p) => p instanceof Parameter && p.requiresGrad)).toBe(true);
      expect(m.namedModules().map(([n]) => n)).toEqual(['', 'fc1', 'act', 'fc2']);
      expect(m.children()).toHaveLength(3);
    });

    test('shared parameters are listed once', () => {
      class Tied extends Module {
        a = new Linear(2, 2);
        b = this.a;
        forward(x: Tensor) {
          return this.b.forward(this.a.forward(x));
        }
      }
      expect(new Tied().parameters()).toHaveLength(2);
    });

    test('stateDict has torch keys; loadStateDict round-trips and reports problems before changing anything', () => {
      const a = new MLP();
      const b = new MLP();
      const state = a.stateDict();
      expect(Object.keys(state)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
      expect(b.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(b.fc1.weight.toArray()).toEqual(a.fc1.weight.toArray());

      const before = b.fc2.bias?.toArray();
      const bad = { ...state, 'fc2.bias': zeros([5]), extra: zeros([1]) };
      delete (bad as Record<string, Tensor>)['fc1.bias'];
      expect(() => b.loadStateDict(bad)).toThrow(
        'size mismatch for fc2.bias: copying a tensor of shape [5], the shape in this module is [2]',
      );
      expect(() => b.loadStateDict(bad)).toThrow('Missing key(s): "fc1.bias"');
      expect(() => b.loadStateDict(bad)).toThrow('Unexpected key(s): "extra"');
      expect(b.fc2.bias?.toArray()).toEqual(before);
      const partial = { 'fc1.weight': zeros([3, 4]), extra: zeros([1]) };
      expect(b.loadStateDict(partial, { strict: false })).toEqual({
        missingKeys: ['fc1.bias', 'fc2.weight', 'fc2.bias'],
        unexpectedKeys: ['extra'],
      });
      expect(b.fc1.weight.sum().item()).toBe(0);
    });

    test('a load that fails converting one value changes nothing, and names the key', () => {
      const net = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
      const state = net.stateDict();
      const before = state['0.weight'].toArray();
      const bad = { ...state, '0.weight': zeros([2, 2]), '1.num_batches_tracked': full([], NaN) };
      expect(() => net.loadStateDict(bad)).toThrow('1.num_batches_tracked: to(int64): value NaN cannot be represented as int64; nothing was loaded');
      expect(net.stateDict()['0.weight'].toArray()).toEqual(before);
      const proto = { ...state, constructor: zeros([1]) };
      expect(() => net.loadStateDict(proto)).toThrow('Unexpected key(s): "constructor"');
      const missing = Object.fromEntries(Object.entries(state).filter(([k]) => k !== '0.bias'));
      expect(() => net.loadStateDict({ ...missing, toString: zeros([1]) } as never)).toThrow('Missing key(s): "0.bias"');
      expect(() => net.loadStateDict({ ...state, '0.bias': [1, 2] as never })).toThrow('0.bias: expected a tensor, got object');
    });

    test('buffers are in stateDict unless non-persistent', () => {
      const loss = new CrossEntropyLoss({ weight: ones([3]) });
      expect(Object.keys(loss.stateDict())).toEqual(['weight']);
      class WithBuffers extends Module {
        constructor() {
          super();
          this.registerBuffer('runningMean', zeros([2]));
          this.registerBuffer('scratch', zeros([2]), false);
        }
        forward(x: Tensor) {
          return x;
        }
      }
      const m = new WithBuffers();
      expect(Object.keys(m.stateDict())).toEqual(['runningMean']);
      expect(m.namedBuffers().map(([n]) => n)).toEqual(['runningMean', 'scratch']);
    });

    test('train, eval, zeroGrad and apply', () => {
      const m = new Sequential(new Linear(2, 2), new Dropout(0.5));
      m.eval();
      expect(m.modules().every((x) => !x.training)).toBe(true);
      m.train();
      expect(m.at(1).training).toBe(true);
      m.forward(ones([1, 2])).sum().backward();
      expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
      m.zeroGrad(false);
      expect(m.parameters().every((p) => p.grad?.abs().sum().item() === 0)).toBe(true);
      m.zeroGrad();
      expect(m.parameters().every((p) => p.grad === null)).toBe(true);
      const visited: string[] = [];
      m.apply((x) => visited.push(x.constructor.name));
      expect(visited).toEqual(['Linear', 'Dropout', 'Sequential']);
    });

    test('prints the module tree like torch', () => {
      expect(new MLP().toString()).toBe(
        [
          'MLP(',
          '  (fc1): Linear(inFeatures=4, outFeatures=3, bias=true)',
          '  (act): ReLU()',
          '  (fc2): Linear(inFeatures=3, outFeatures=2, bias=true)',
          ')',
        ].join('\n'),
      );
      expect(new Sequential(new Flatten(), new Sequential(new ReLU())).toString()).toBe(
        'Sequential(\n  (0): Flatten(startDim=1, endDim=-1)\n  (1): Sequential(\n    (0): ReLU()\n  )\n)',
      );
    });
  });

  describe('layers', () => {
    test('ModuleDict holds modules by name, with torch state-dict keys', () => {
      const heads = new ModuleDict<Module>({ cls: new Linear(2, 3), box: new Linear(2, 4) });
      heads.set('extra', new ReLU());
      expect(heads.keys()).toEqual(['cls', 'box', 'extra']);
      expect(Object.keys(heads.stateDict())).toEqual(['cls.weight', 'cls.bias', 'box.weight', 'box.bias']);
      expect(heads.get('box')).toBeInstanceOf(Linear);
      expect(heads.has('nope')).toBe(false);
      expect(() => heads.get('nope')).toThrow("ModuleDict: no module named 'nope' (has: cls, box, extra)");
    });

    test("to(dtype), double() and float() convert parameters and buffers; to('cpu') is a no-op; other devices are refused", () => {
      const net = new Sequential(new Linear(3, 2), new ReLU());
      expect(net.to('cpu')).toBe(net);
      expect(() => net.to('cuda:0')).toThrow("Module.to: Wick computes on the CPU (in WebAssembly where available); there is no device 'cuda:0'");
      const before = net.stateDict()['0.weight'].toArray();
      net.double();
      expect(net.parameters().map((p) => p.dtype)).toEqual(['float64', 'float64']);
      expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
      expect(net.stateDict()['0.weight'].float().toArray()).toEqual(before);
      expect(net.forward(ones([1, 3], { dtype: 'float64' })).dtype).toBe('float64');
      expect(net.float().parameters()[0].dtype).toBe('float32');
      expect(() => net.to('int64')).toThrow('Module.to: only floating-point dtypes are supported, got int64');
    });

    test('activation and loss modules are their functional forms', () => {
      const x = tensor([-2, -0.5, 0, 0.5, 2]);
      const t = tensor([0.1, 0.4, 0.5, 0.9, 0.2]);
      const same = (a: Tensor, b: Tensor) => expect(a.toArray()).toEqual(b.toArray());
      same(new LeakyReLU(0.2).forward(x), F.leakyRelu(x, 0.2));
      same(new ELU(0.5).forward(x), F.elu(x, 0.5));
      same(new Softplus({ beta: 2 }).forward(x), F.softplus(x, { beta: 2 }));
      same(new Hardtanh(-1, 0.5).forward(x), F.hardtanh(x, -1, 0.5));
      same(new LogSigmoid().forward(x), F.logSigmoid(x));
      same(new MSELoss({ reduction: 'sum' }).forward(x, t), F.mseLoss(x, t, { reduction: 'sum' }));
      same(new L1Loss().forward(x, t), F.l1Loss(x, t));
      same(new SmoothL1Loss({ beta: 0.5 }).forward(x, t), F.smoothL1Loss(x, t, { beta: 0.5 }));
      same(new HuberLoss({ delta: 0.5 }).forward(x, t), F.huberLoss(x, t, { delta: 0.5 }));
      same(new BCELoss().forward(t, t), F.binaryCrossEntropy(t, t));
      const posWeight = tensor([2]);
      const bce = new BCEWithLogitsLoss({ posWeight });
      same(bce.forward(x, t), F.binaryCrossEntropyWithLogits(x, t, { posWeight }));
      expect(Object.keys(bce.stateDict())).toEqual(['pos_weight']);
      expect(bce.posWeight).toBe(posWeight);
      same(new KLDivLoss({ reduction: 'batchmean' }).forward(x.logSoftmax(0), t), F.klDiv(x.logSoftmax(0), t, { reduction: 'batchmean' }));
      expect(String(new LeakyReLU(0.2))).toBe('LeakyReLU(negativeSlope=0.2)');
    });

    test('GELU and SiLU are their functional forms, with torch reprs', () => {
      const x = tensor([-2, -0.5, 0, 0.5, 2]);
      expect(new GELU().forward(x).toArray()).toEqual(F.gelu(x).toArray());
      expect(new GELU({ approximate: 'tanh' }).forward(x).toArray()).toEqual(F.gelu(x, { approximate: 'tanh' }).toArray());
      expect(new SiLU().forward(x).toArray()).toEqual(F.silu(x).toArray());
      expect(String(new Sequential(new GELU({ approximate: 'tanh' }), new SiLU()))).toBe("Sequential(\n  (0): GELU(approximate='tanh')\n  (1): SiLU()\n)");
    });

    test("Linear uses torch's default init bounds: U(-1/sqrt(fanIn), 1/sqrt(fanIn))", () => {
      manualSeed(0);
      const l = new Linear(400, 300);
      const bound = 1 / Math.sqrt(400);
      expect(l.weight.abs().amax().item()).toBeLessThanOrEqual(bound);
      expect(l.weight.abs().amax().item()).toBeGreaterThan(0.99 * bound);
      // Uniform on [-b, b] has standard deviation b / sqrt(3).
      expect(l.weight.std().item()).toBeCloseTo(bound / Math.sqrt(3), 3);
      expect(l.bias?.abs().amax().item()).toBeLessThanOrEqual(bound);
      expect(new Linear(3, 2, { bias: false }).bias).toBeNull();
      expect(() => new Linear(-1, 2)).toThrow('inFeatures must be a non-negative integer, got -1');
    });

    test('Linear computes x W^T + b', () => {
      const l = new Linear(2, 1);
      noGrad(() => {
        l.weight.copy_(tensor([[2, 3]]));
        l.bias?.fill_(1);
      });
      expect(l.forward(tensor([[1, 1], [0, 2]])).toArray()).toEqual([[6], [7]]);
    });

    test('Dropout zeroes about p of the elements while training, scales the rest, and is the identity in eval', () => {
      manualSeed(3);
      const d = new Dropout(0.25);
      const y = d.forward(ones([10000]));
      const kept = y.ne(0).sum().item();
      expect(kept / 10000).toBeCloseTo(0.75, 1);
      expect(y.amax().item()).toBeCloseTo(1 / 0.75, 5);
      d.eval();
      expect(d.forward(ones([3])).toArray()).toEqual([1, 1, 1]);
      expect(() => new Dropout(1.5)).toThrow('between 0 and 1, but got 1.5');
    });

    test('Softmax and LogSoftmax modules; an omitted dim follows torch with one warning', () => {
      const x = tensor([[1, 2], [3, 5]]);
      expect(new Softmax(1).forward(x).sum(1).toArray()).toEqual([1, 1]);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const implicit = new LogSoftmax().forward(x);
      new LogSoftmax().forward(x);
      expect(F.softmax(tensor([1, 2, 3])).sum().item()).toBeCloseTo(1, 6);
      warnings += warn.mock.calls.filter(([m]) => String(m).includes('Implicit dimension choice for logSoftmax has been deprecated')).length;
      expect(warnings).toBe(1);
      warn.mockRestore();
      expect(implicit.toArray()).toEqual(F.logSoftmax(x, 1).toArray());
    });

    test('ModuleList registers its items and iterates them', () => {
      const list = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
      list.append(new Linear(2, 1));
      expect(list.length).toBe(3);
      expect(list.namedParameters().map(([n]) => n)[4]).toBe('2.weight');
      expect([...list]).toHaveLength(3);
      expect(() => list.forward()).toThrow('has no forward');
    });
  });
});
