import { describeEachBackend } from '@wick/test-harness';
import { manualSeed, randn } from '@wick/core';
import * as testing from '@wick/core/testing';
import {
  AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, Conv1d, Conv2d, ConvTranspose2d, F, MaxPool1d, MaxPool2d, Sequential,
} from '../index';

describeEachBackend('convolution and pooling modules', () => {
  const x = randn([2, 4, 9, 8]);

  test('Conv2d is F.conv2d over its parameters, with torch state-dict keys and repr', () => {
    manualSeed(0);
    const conv = new Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2 });
    expect(Object.keys(conv.stateDict())).toEqual(['weight', 'bias']);
    expect(conv.weight.shape).toEqual([6, 2, 3, 3]);
    testing.assertClose(conv.forward(x), F.conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1, groups: 2 }));
    expect(String(conv)).toBe('Conv2d(4, 6, kernelSize=(3, 3), stride=(2, 2), padding=(1, 1), groups=2)');
    expect(String(new Conv2d(1, 2, [2, 3], { bias: false, padding: 'same', paddingMode: 'reflect' }))).toBe(
      "Conv2d(1, 2, kernelSize=(2, 3), stride=(1, 1), padding='same', bias=false, paddingMode='reflect')",
    );
  });

  test.each(['reflect', 'replicate', 'circular'] as const)("paddingMode '%s' pads with F.pad, then convolves without padding", (mode) => {
    const conv = new Conv2d(4, 3, [3, 2], { padding: [2, 1], paddingMode: mode, dilation: [1, 2] });
    const expected = F.conv2d(F.pad(x, [1, 1, 2, 2], { mode }), conv.weight, conv.bias, { dilation: [1, 2] });
    testing.assertClose(conv.forward(x), expected);
    const same = new Conv2d(4, 3, [4, 2], { padding: 'same', paddingMode: mode });
    expect(same.forward(x).shape).toEqual([2, 3, 9, 8]);
    testing.assertClose(same.forward(x), F.conv2d(F.pad(x, [0, 1, 1, 2], { mode }), same.weight, same.bias));
  });

  test('Conv1d and ConvTranspose2d are their functional forms', () => {
    const seq = randn([2, 4, 10]);
    const conv1 = new Conv1d(4, 6, 3, { groups: 2, padding: 'same' });
    testing.assertClose(conv1.forward(seq), F.conv1d(seq, conv1.weight, conv1.bias, { groups: 2, padding: 'same' }));
    const up = new ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 });
    expect(up.weight.shape).toEqual([4, 3, 3, 3]);
    expect(up.forward(x).shape).toEqual([2, 3, 18, 16]);
    expect(String(up)).toBe('ConvTranspose2d(4, 3, kernelSize=(3, 3), stride=(2, 2), padding=(1, 1), outputPadding=(1, 1))');
  });

  test('pooling modules are their functional forms', () => {
    testing.assertClose(new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }).forward(x), F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }));
    testing.assertClose(new AvgPool2d(2, { countIncludePad: false, padding: 1 }).forward(x), F.avgPool2d(x, 2, { countIncludePad: false, padding: 1 }));
    testing.assertClose(new AdaptiveAvgPool2d([3, null]).forward(x), F.adaptiveAvgPool2d(x, [3, null]));
    const seq = randn([2, 3, 11]);
    testing.assertClose(new MaxPool1d(3, { stride: 2 }).forward(seq), F.maxPool1d(seq, 3, { stride: 2 }));
    testing.assertClose(new AvgPool1d(2).forward(seq), F.avgPool1d(seq, 2));
    testing.assertClose(new AdaptiveAvgPool1d(4).forward(seq), F.adaptiveAvgPool1d(seq, 4));
    expect(String(new Sequential(new MaxPool2d(2), new AdaptiveAvgPool2d(1)))).toBe(
      'Sequential(\n  (0): MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)\n  (1): AdaptiveAvgPool2d(outputSize=1)\n)',
    );
  });

  test('bad arguments are refused when the module is built', () => {
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).toThrow('Conv2d: outChannels (6) must be divisible by groups (4)');
    expect(() => new Conv2d(3, 6, 3, { groups: 2 })).toThrow('Conv2d: inChannels (3) must be divisible by groups (2)');
    expect(() => new Conv2d(0, 6, 3)).toThrow('Conv2d: inChannels must be a positive integer, got 0');
    expect(() => new Conv2d(2, 2, 3, { padding: 'same', stride: 2 })).toThrow("Conv2d: padding='same' is not supported for strided convolutions");
    expect(() => new Conv2d(2, 2, 0)).toThrow('Conv2d: kernelSize must be a positive integer or 2 of them, got [0,0]');
    expect(() => new Conv2d(2, 2, 3, { paddingMode: 'mirror' as 'reflect' })).toThrow("Conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate' or 'circular', got 'mirror'");
  });
});
