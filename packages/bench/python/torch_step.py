"""PyTorch's side of the training-step benchmark: the same MLP step, on the number of threads
given as the first argument.

Reads commands on stdin, one per line, and answers each with a JSON line:
  step N   -> {"ms": median ms of N training steps}
  quit
The MLP is 784-128-ReLU-10, batch 64, SGD lr 0.01, log-softmax + NLL.
"""
import json
import sys
import time
import torch

torch.set_num_threads(int(sys.argv[1]))
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.rand(64, 784)
y = torch.randint(0, 10, (64,))


def step():
    opt.zero_grad()
    loss = torch.nn.functional.nll_loss(torch.log_softmax(model(x), 1), y)
    loss.backward()
    opt.step()


for _ in range(20):
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
