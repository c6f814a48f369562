/**
 * Little-endian byte writer/reader for borsh arguments and fixed account layouts.
 * Every on-chain integer is little endian; u64 values are `bigint`.
 */
export class ByteWriter {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  raw(data: Uint8Array): this {
    this.bytes.set(data, this.offset);
    this.offset += data.length;
    return this;
  }
  u8(v: number): this {
    this.view.setUint8(this.offset, v);
    this.offset += 1;
    return this;
  }
  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }
  u16(v: number): this {
    this.view.setUint16(this.offset, v, true);
    this.offset += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.offset, v, true);
    this.offset += 4;
    return this;
  }
  u64(v: bigint): this {
    this.view.setBigUint64(this.offset, v, true);
    this.offset += 8;
    return this;
  }
  i64(v: bigint): this {
    this.view.setBigInt64(this.offset, v, true);
    this.offset += 8;
    return this;
  }
  /** The written bytes; throws if fewer than the declared size were written. */
  finish(): Buffer {
    if (this.offset !== this.bytes.length) {
      throw new Error(`ByteWriter: wrote ${this.offset} of ${this.bytes.length} bytes`);
    }
    return Buffer.from(this.bytes);
  }
}

/** Reads fixed-offset little-endian fields of an account. */
export class ByteReader {
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  u8(offset: number): number {
    return this.view.getUint8(offset);
  }
  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }
  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }
  u64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }
  i64(offset: number): bigint {
    return this.view.getBigInt64(offset, true);
  }
  bytes(offset: number, len: number): Uint8Array {
    return this.data.slice(offset, offset + len);
  }
}
