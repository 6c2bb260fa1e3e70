"""PyTorch's side of the layers benchmark (packages/bench/src/layers.ts), on one thread: forward +
backward from a fixed output gradient of each case the benchmark times, as a JSON object
{case: median ms}. The cases' names are the benchmark's row labels."""
import json
import time
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


def median_ms(fn, runs=9):
    for _ in range(2):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def race(forward, leaves):
    g = torch.randn(forward().shape)

    def run():
        for t in leaves:
            t.grad = None
        forward().backward(g)
    return median_ms(run)


results = {}
for shape in [(64, 64, 24, 24), (64, 32, 26, 26), (256, 128)]:
    x = torch.randn(*shape, requires_grad=True)
    w = torch.randn(shape[1], requires_grad=True)
    b = torch.randn(shape[1], requires_grad=True)
    results['batchNorm (%s)' % ', '.join(map(str, shape))] = race(lambda: F.batch_norm(x, None, None, w, b, True), [x, w, b])
for shape in [(64, 128, 512), (4096, 1024)]:
    x = torch.randn(*shape, requires_grad=True)
    w = torch.randn(shape[-1], requires_grad=True)
    b = torch.randn(shape[-1], requires_grad=True)
    results['layerNorm (%s)' % ', '.join(map(str, shape))] = race(lambda: F.layer_norm(x, (shape[-1],), w, b), [x, w, b])
x = torch.randn(64, 64, 24, 24, requires_grad=True)
results['avgPool2d (64, 64, 24, 24), 2x2'] = race(lambda: F.avg_pool2d(x, 2), [x])
for size in [1, 7]:
    results['adaptiveAvgPool2d (64, 64, 24, 24) to %dx%d' % (size, size)] = race(lambda: F.adaptive_avg_pool2d(x, size), [x])
results['adaptiveMaxPool2d (64, 64, 24, 24) to 7x7'] = race(lambda: F.adaptive_max_pool2d(x, 7), [x])
for groups in [4, 64]:
    x = torch.randn(64, 64, 24, 24, requires_grad=True)
    w = torch.randn(64, 64 // groups, 3, 3, requires_grad=True)
    b = torch.randn(64, requires_grad=True)
    results['conv2d (64, 64, 24, 24), 3x3, groups %d' % groups] = race(lambda: F.conv2d(x, w, b, padding=1, groups=groups), [x, w, b])
print(json.dumps({'version': torch.__version__, 'ms': results}))
