"""Checks every ONNX model the export tests make with ONNX's own checker (Debian's python3-onnx,
onnx.checker.check_model with full_check), and records each file's hash so the tests can expect
their exports to be exactly the bytes that passed. Runs the tests with WICK_ONNX_DIR set, which
makes them leave their models there. Writes packages/nn/golden/onnx_checker.json."""
import hashlib
import json
import os
import subprocess
import tempfile
import onnx

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
tests = ['packages/nn/src/onnx', 'examples/src/onnx.test.ts']
with tempfile.TemporaryDirectory() as out:
    subprocess.run(['npx', 'jest', *tests], cwd=root, env=dict(os.environ, WICK_ONNX_DIR=out), check=True)
    models = {}
    for file in sorted(os.listdir(out)):
        path = os.path.join(out, file)
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        with open(path, 'rb') as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        models[file[:-len('.onnx')]] = {
            'sha256': digest,
            'irVersion': model.ir_version,
            'opset': model.opset_import[0].version,
            'ops': sorted({node.op_type for node in model.graph.node}),
        }
with open(os.path.join(root, 'packages', 'nn', 'golden', 'onnx_checker.json'), 'w') as f:
    json.dump({'onnx': onnx.__version__, 'models': models}, f, indent=1)
    f.write('\n')
print(f'onnx {onnx.__version__}: check_model(full_check=True) passed {len(models)} models')
