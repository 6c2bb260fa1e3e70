"""Weights moving between PyTorch and Wick through safetensors, checked with real PyTorch.

1. A PyTorch MLP (Sequential 20-16-10) is written to packages/nn/golden/torch_mlp.safetensors
   with the minimal writer below, and its predictions on fixed inputs are recorded.
2. scripts/golden/wick_roundtrip.js (run with node against the built packages: pnpm build first)
   loads that file into Wick, halves every weight and saves packages/nn/golden/wick_mlp.safetensors.
3. PyTorch loads Wick's file into the same architecture (load_state_dict, strict) and records
   its predictions. The Wick tests check both sets of predictions and that Wick still writes
   exactly the bytes PyTorch read.
"""
import json
import os
import struct
import subprocess
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', '..', 'packages', 'nn', 'golden')
DTYPES = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}
TORCH_DTYPES = {v: k for k, v in DTYPES.items()}


def write_safetensors(state, path):
    header, chunks, offset = {}, [], 0
    for name, t in state.items():
        data = t.detach().contiguous().numpy().tobytes()
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b' ' * ((8 - len(raw) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)) + raw + b''.join(chunks))


def read_safetensors(path):
    with open(path, 'rb') as f:
        blob = f.read()
    (n,) = struct.unpack('<Q', blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        b, end = e['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[b:end]), dtype=TORCH_DTYPES[e['dtype']]).reshape(e['shape'])
    return out


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(20, 16), torch.nn.ReLU(), torch.nn.Linear(16, 10))


torch.manual_seed(3)
model = mlp()
x = torch.randn(5, 20)
write_safetensors(model.state_dict(), os.path.join(GOLDEN, 'torch_mlp.safetensors'))
record = {'input': x.reshape(-1).tolist(), 'torchPredictions': model(x).detach().reshape(-1).tolist()}

subprocess.run(['node', os.path.join(HERE, 'wick_roundtrip.js')], check=True)
wick_model = mlp()
wick_model.load_state_dict(read_safetensors(os.path.join(GOLDEN, 'wick_mlp.safetensors')), strict=True)
record['wickFilePredictions'] = wick_model(x).detach().reshape(-1).tolist()

with open(os.path.join(GOLDEN, 'interop.json'), 'w') as f:
    json.dump(record, f)
print('wrote torch_mlp.safetensors, wick_mlp.safetensors and interop.json')
