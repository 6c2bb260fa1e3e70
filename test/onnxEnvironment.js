const { TestEnvironment } = require('jest-environment-node');

/**
 * The jest environment of the tests that run ONNX Runtime (`@jest-environment ./test/onnxEnvironment.js`):
 * ORT's native binding returns typed arrays made in Node's own realm, and its JavaScript checks
 * them with instanceof against the test realm's constructors, which jest makes anew. Here the
 * test realm uses Node's typed-array constructors, so the checks pass.
 */
class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Float32Array', 'Float64Array', 'BigInt64Array', 'Int32Array', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'BigUint64Array']) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxRuntimeEnvironment;
