/** ONNX export, as torch.onnx: `onnx.exportModel(model, [x], { file: 'model.onnx' })`. */
export { exportModel } from './export';
export type { ExportOptions } from './export';
