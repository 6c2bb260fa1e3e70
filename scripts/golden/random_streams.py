"""Golden random streams of torch's CPU generator, for Wick's Generator and distributions.
Writes packages/core/golden/random.json (core's draws) and packages/nn/golden/random.json
(layer initialisation, nn.init, dropout masks, DataLoader orders, random_split)."""
import os
import struct
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

SEEDS = [0, 1, 2**40 + 3]
SIZES = [1, 15, 16, 17, 100003]
HEAD = 40
STRIDE = 997
here = os.path.dirname(__file__)


def sample(t):
    """Every value of a small tensor; of a large one, the head, every STRIDE-th value and the tail, plus the sum."""
    flat = t.detach().reshape(-1).double()
    n = flat.numel()
    if n <= 3 * HEAD:
        return {'n': n, 'values': flat.tolist()}
    picks = sorted(set(range(HEAD)) | set(range(0, n, STRIDE)) | set(range(n - HEAD, n)))
    return {'n': n, 'at': picks, 'values': flat[picks].tolist(), 'sum': flat.sum().item()}


def dtype_name(d):
    return str(d).replace('torch.', '')


core = {'torch': torch.__version__, 'streams': [], 'sequences': [], 'states': []}
for seed in SEEDS:
    for dtype in [torch.float32, torch.float64]:
        for n in SIZES:
            for fn, draw in [('rand', lambda: torch.rand(n, dtype=dtype)), ('randn', lambda: torch.randn(n, dtype=dtype))]:
                torch.manual_seed(seed)
                core['streams'].append({'fn': fn, 'seed': seed, 'dtype': dtype_name(dtype), 'size': n} | sample(draw()))
        for fn, draw in [
            ('uniform_', lambda: torch.empty(33, dtype=dtype).uniform_(-2, 5)),
            ('normal_', lambda: torch.empty(17, dtype=dtype).normal_(2, 3)),
            ('normal_ small', lambda: torch.empty(5, dtype=dtype).normal_(2, 3)),
            ('bernoulli_', lambda: torch.empty(100, dtype=dtype).bernoulli_(0.3)),
            ('bernoulli_ large', lambda: torch.empty(100003, dtype=dtype).bernoulli_(0.5)),
            ('bernoulli', lambda: torch.bernoulli(torch.linspace(0, 1, 50, dtype=dtype))),
        ]:
            torch.manual_seed(seed)
            core['streams'].append({'fn': fn, 'seed': seed, 'dtype': dtype_name(dtype), 'size': 0} | sample(draw()))
        core['probs'] = torch.linspace(0, 1, 50, dtype=torch.float64).tolist()
    for n in [1, 15, 17, 1000]:
        torch.manual_seed(seed)
        core['streams'].append({'fn': 'randperm', 'seed': seed, 'dtype': 'int64', 'size': n} | sample(torch.randperm(n)))
    for low, high, n in [(0, 10, 100003), (-5, 2**40, 17)]:
        torch.manual_seed(seed)
        core['streams'].append({'fn': f'randint {low} {high}', 'seed': seed, 'dtype': 'int64', 'size': n} | sample(torch.randint(low, high, (n,))))
    # Draws one after another share the generator and its cached normal.
    torch.manual_seed(seed)
    parts = [torch.randn(3, dtype=torch.float64), torch.randn(5), torch.rand(2), torch.randn(20), torch.randn(1),
             torch.randperm(7).double(), torch.randn(2, dtype=torch.float64)]
    core['sequences'].append({'seed': seed, 'values': [p.double().tolist() for p in parts]})
    # The generator's state bytes, after draws that leave a normal cached.
    torch.manual_seed(seed)
    torch.randn(3, dtype=torch.float64)
    state = bytes(torch.get_rng_state().numpy())
    after = torch.rand(4).tolist() + torch.randn(1, dtype=torch.float64).tolist()
    core['states'].append({'seed': seed, 'state': state.hex(), 'after': after})
with open(os.path.join(here, '..', '..', 'packages', 'core', 'golden', 'random.json'), 'w') as f:
    import json
    json.dump(core, f, separators=(',', ':'))

nn_golden = {'torch': torch.__version__, 'convLayers': [], 'layers': [], 'init': [], 'dropout': [], 'dropout2d': [], 'embedding': [], 'loaders': [], 'splits': []}
for seed in SEEDS:
    for dtype in [torch.float32, torch.float64]:
        torch.manual_seed(seed)
        layers = [torch.nn.Linear(784, 128, dtype=dtype), torch.nn.Linear(128, 10, dtype=dtype), torch.nn.Linear(5, 3, bias=False, dtype=dtype)]
        for i, layer in enumerate(layers):
            for name, p in layer.named_parameters():
                nn_golden['layers'].append({'seed': seed, 'dtype': dtype_name(dtype), 'layer': i, 'param': name} | sample(p))
        torch.manual_seed(seed)
        convs = [torch.nn.Conv2d(1, 32, 3, dtype=dtype), torch.nn.Conv2d(32, 64, 3, dtype=dtype), torch.nn.Conv1d(4, 6, 3, groups=2, dtype=dtype),
                 torch.nn.ConvTranspose2d(4, 3, (2, 3), dtype=dtype)]
        for i, layer in enumerate(convs):
            for name, p in layer.named_parameters():
                nn_golden['convLayers'].append({'seed': seed, 'dtype': dtype_name(dtype), 'layer': i, 'param': name} | sample(p))
        for fn, init in [
            ('uniform_', lambda t: torch.nn.init.uniform_(t, -0.5, 1.5)),
            ('normal_', lambda t: torch.nn.init.normal_(t, 0.5, 2.0)),
            ('kaiming_uniform_', lambda t: torch.nn.init.kaiming_uniform_(t, a=0.1, mode='fan_out', nonlinearity='leaky_relu')),
            ('kaiming_normal_', lambda t: torch.nn.init.kaiming_normal_(t, nonlinearity='relu')),
            ('xavier_uniform_', lambda t: torch.nn.init.xavier_uniform_(t, gain=2.0)),
            ('xavier_normal_', lambda t: torch.nn.init.xavier_normal_(t)),
        ]:
            torch.manual_seed(seed)
            nn_golden['init'].append({'seed': seed, 'dtype': dtype_name(dtype), 'fn': fn} | sample(init(torch.empty(30, 20, dtype=dtype))))
        for p, shape in [(0.3, (100,)), (0.5, (4, 50)), (0.9, (17,))]:
            torch.manual_seed(seed)
            out = F.dropout(torch.ones(shape, dtype=dtype), p=p, training=True)
            nn_golden['dropout'].append({'seed': seed, 'dtype': dtype_name(dtype), 'p': p, 'shape': list(shape)} | sample(out))
        for p, shape in [(0.3, (4, 6, 2, 2)), (0.5, (3, 5, 4))]:
            torch.manual_seed(seed)
            out = F.dropout2d(torch.ones(shape, dtype=dtype), p=p, training=True)
            nn_golden['dropout2d'].append({'seed': seed, 'dtype': dtype_name(dtype), 'p': p, 'shape': list(shape)} | sample(out))
        torch.manual_seed(seed)
        emb = torch.nn.Embedding(20, 3, padding_idx=2, dtype=dtype)
        nn_golden['embedding'].append({'seed': seed, 'dtype': dtype_name(dtype)} | sample(emb.weight))
    data = TensorDataset(torch.arange(10))
    for kind in ['default', 'generator', 'unshuffled']:
        torch.manual_seed(seed)
        if kind == 'generator':
            loader = DataLoader(data, batch_size=3, shuffle=True, generator=torch.Generator().manual_seed(seed + 1))
        else:
            loader = DataLoader(data, batch_size=3, shuffle=kind == 'default')
        epochs = [[b[0].tolist() for b in loader] for _ in range(2)]
        # What the default generator gives next shows how many draws the epochs took from it.
        nn_golden['loaders'].append({'seed': seed, 'kind': kind, 'epochs': epochs, 'next': torch.rand(3).tolist()})
    for lengths, use_generator in [([3, 7], False), ([0.3, 0.7], False), ([2, 5, 3], True)]:
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed + 2) if use_generator else None
        parts = random_split(range(10), lengths, generator=generator) if generator else random_split(range(10), lengths)
        nn_golden['splits'].append({'seed': seed, 'lengths': lengths, 'generator': use_generator, 'indices': [list(p.indices) for p in parts]})
with open(os.path.join(here, '..', '..', 'packages', 'nn', 'golden', 'random.json'), 'w') as f:
    json.dump(nn_golden, f, separators=(',', ':'))
print('wrote packages/core/golden/random.json and packages/nn/golden/random.json')
