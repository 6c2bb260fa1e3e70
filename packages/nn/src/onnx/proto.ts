/**
 * The part of ONNX's protobuf schema (onnx.proto, IR version 8) that an exported model uses,
 * encoded by hand: a model is a handful of message types, and a hand-written writer keeps the
 * exporter free of a runtime dependency (protobufjs and its generated code are several times the
 * size of the whole exporter, and would ride in every browser bundle).
 *
 * Wire format: each field is a varint key (field number << 3 | wire type) then its value; wire
 * type 0 is a varint, 2 a length-prefixed byte string (strings, bytes, nested messages) and 5 a
 * little-endian 32-bit value. onnx.proto is proto2, so repeated numbers go unpacked, one key each.
 */

/** ONNX's TensorProto.DataType codes for the element types Wick has. */
export const DataType = { FLOAT: 1, BOOL: 9, INT64: 7, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** An attribute value: the message's oneof, told apart by the `type` discriminator. */
export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] };

/** TensorProto with its data as raw little-endian bytes. */
export interface TensorMessage {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: DataTypeCode;
  readonly raw: Uint8Array;
}

/** NodeProto. */
export interface NodeMessage {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** ValueInfoProto of a tensor: each dim a size, or a name for a size that varies. */
export interface ValueInfoMessage {
  readonly name: string;
  readonly dataType: DataTypeCode;
  readonly dims: readonly (number | string)[];
}

/** ModelProto with its one graph. */
export interface ModelMessage {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graphName: string;
  readonly nodes: readonly NodeMessage[];
  readonly initializers: readonly TensorMessage[];
  readonly inputs: readonly ValueInfoMessage[];
  readonly outputs: readonly ValueInfoMessage[];
}

const VARINT = 0;
const BYTES = 2;
const FIXED32 = 5;

/** Growable byte buffer with protobuf's field writers. */
class Writer {
  private bytes = new Uint8Array(256);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** A varint of an int64: negative values as their 64-bit two's complement (ten bytes). */
  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`onnx: ${value} is not an integer protobuf can encode exactly`);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private key(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    this.key(field, VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, FIXED32);
    this.reserve(4);
    new DataView(this.bytes.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.key(field, BYTES);
    this.varint(data.length);
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (w: Writer) => void): this {
    const inner = new Writer();
    write(inner);
    return this.raw(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

// AttributeProto.AttributeType codes.
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const;

function writeTensor(w: Writer, t: TensorMessage): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.raw(9, t.raw);
}

function writeAttribute(w: Writer, name: string, a: AttributeValue): void {
  w.string(1, name);
  w.int(20, ATTRIBUTE_TYPE[a.type]);
  switch (a.type) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'ints':
      for (const i of a.value) w.int(8, i);
      break;
  }
}

function writeNode(w: Writer, n: NodeMessage): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.message(5, (m) => writeAttribute(m, name, a));
}

// ValueInfoProto { name = 1, type = 2 }, TypeProto { tensor_type = 1 },
// TypeProto.Tensor { elem_type = 1, shape = 2 }, TensorShapeProto { dim = 1 },
// Dimension { dim_value = 1, dim_param = 2 }.
function writeValueInfo(w: Writer, v: ValueInfoMessage): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** The bytes of a ModelProto (ONNX's `.onnx` file). */
export function encodeModel(model: ModelMessage): Uint8Array {
  const w = new Writer();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  // GraphProto { node = 1, name = 2, initializer = 5, input = 11, output = 12 }.
  w.message(7, (g) => {
    for (const n of model.nodes) g.message(1, (m) => writeNode(m, n));
    g.string(2, model.graphName);
    for (const t of model.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of model.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of model.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  // OperatorSetIdProto { domain = 1, version = 2 }: the default domain ('') at opsetVersion.
  w.message(8, (o) => o.string(1, '').int(2, model.opsetVersion));
  return w.finish();
}
