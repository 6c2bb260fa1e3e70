"""Loads a `pnpm train --model cnn` run's model.safetensors into pytorch/examples' mnist Net (in
PyTorch) and scores the run's held-out images, so the accuracy Wick reports can be checked
against PyTorch's own forward pass on the same weights.
Usage: /usr/bin/python3 scripts/torch/score_cnn.py RUN_DIR/model.safetensors [IDX_DIR]
  without IDX_DIR: the embedded digits' 2,000 held out; with it: IDX_DIR's t10k images and labels
  (e.g. /usr/share/datasets/fashion-mnist)."""
import gzip
import json
import os
import struct
import sys

import torch

from mnist import TEST_SIZE, Net, embedded_digits


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {'F32': torch.float32, 'I64': torch.int64}
    return {k: torch.frombuffer(bytearray(data[v['data_offsets'][0]:v['data_offsets'][1]]), dtype=dtypes[v['dtype']]).reshape(v['shape'])
            for k, v in header.items() if k != '__metadata__'}


def read_idx(directory, name):
    """An IDX file of the directory (gzipped or not) as a uint8 tensor of its declared shape."""
    [path] = [p for p in (os.path.join(directory, name), os.path.join(directory, name + '.gz')) if os.path.exists(p)]
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def held_out():
    if len(sys.argv) > 2:
        images = read_idx(sys.argv[2], 't10k-images-idx3-ubyte').float().div(255)
        return images.reshape(-1, 1, 28, 28), read_idx(sys.argv[2], 't10k-labels-idx1-ubyte').long()
    images, labels, order = embedded_digits()
    return images[order[:TEST_SIZE]], labels[order[:TEST_SIZE]]


net = Net()
net.load_state_dict(read_safetensors(sys.argv[1]))
net.eval()
x, y = held_out()
with torch.no_grad():
    predicted = net(x.sub(0.1307).div(0.3081)).argmax(1)
print(f'PyTorch {torch.__version__}, pytorch/examples Net with {sys.argv[1]}: {100 * (predicted == y).float().mean().item():.2f}% of {len(y)} held out')
