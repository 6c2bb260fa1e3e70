"""PyTorch's side of the training-step benchmarks: the same step, on the number of threads given
as the first argument, of the model named by the second ('mlp', the default, or 'cnn').

Reads commands on stdin, one per line, and answers each with a JSON line:
  step N   -> {"ms": median ms of N training steps}
  quit
The MLP is 784-128-ReLU-10, batch 64, SGD lr 0.01, log-softmax + NLL. The CNN is pytorch/examples'
mnist/main.py Net, batch 64, Adadelta lr 1.0, NLL, in training mode (dropout on).
"""
import json
import os
import sys
import time
import torch
import torch.nn.functional as F

# pytorch/examples' Net, as the golden and scoring scripts take it.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'scripts', 'torch'))
from mnist import Net  # noqa: E402

torch.set_num_threads(int(sys.argv[1]))
torch.manual_seed(0)
CNN = len(sys.argv) > 2 and sys.argv[2] == 'cnn'

if CNN:
    model = Net()
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
    x = torch.rand(64, 1, 28, 28)
else:
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10), torch.nn.LogSoftmax(1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(64, 784)
y = torch.randint(0, 10, (64,))


def step():
    opt.zero_grad()
    loss = F.nll_loss(model(x), y)
    loss.backward()
    opt.step()


for _ in range(5 if CNN else 20):
    step()
print(json.dumps({'ready': torch.__version__}), flush=True)
for line in sys.stdin:
    cmd = line.split()
    if not cmd or cmd[0] == 'quit':
        break
    times = []
    for _ in range(int(cmd[1])):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({'ms': times[len(times) // 2] * 1e3}), flush=True)
