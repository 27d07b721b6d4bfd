// Regression tests of issue 15: zip bombs, overlapping entries, unchecked names, CRC-32 and deep headers.
import { InputLimitError, Tensor, tensor, zeros } from "@curv/tensor";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.js";
import { loadNpy } from "./load-npy.js";
import { NpyFormatError } from "./npy-error.js";
import { loadNpz, saveNpz } from "./npz.js";
import { saveNpy } from "./save-npy.js";

const MiB = 2 ** 20;

/** A deflated archive of one float64 array of zeros taking `megabytes` unpacked (it compresses about 1000:1). */
function zeroBomb(megabytes: number): Uint8Array {
  return zipSync({ "X.npy": saveNpy(zeros([(megabytes * MiB) / 8], "float64")) }, { level: 9 });
}

interface CentralRecord {
  readonly at: number;
  readonly length: number;
}

/** The central directory records of a zip written by fflate (no comment, no zip64). */
function centralRecords(zip: Uint8Array): { records: CentralRecord[]; offset: number; end: number } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  const count = view.getUint16(end + 10, true);
  const offset = view.getUint32(end + 16, true);
  const records: CentralRecord[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const length = 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    records.push({ at, length });
    at += length;
  }
  return { records, offset, end };
}

/** `zip` with its one entry listed `copies` times in the central directory (names `a0000.npy`, ...), all pointing at the same data. */
function overlapping(zip: Uint8Array, copies: number): Uint8Array {
  const { records, offset } = centralRecords(zip);
  const [record] = records;
  const original = zip.subarray(record.at, record.at + record.length);
  const nameLength = new DataView(original.buffer, original.byteOffset).getUint16(28, true);
  expect(nameLength).toBe("X.npy".length);
  const parts: Uint8Array[] = [zip.subarray(0, offset)];
  for (let i = 0; i < copies; i++) {
    const name = new TextEncoder().encode(`a${String(i).padStart(4, "0")}.npy`);
    const copy = new Uint8Array(46 + name.length);
    copy.set(original.subarray(0, 46));
    new DataView(copy.buffer).setUint16(28, name.length, true);
    new DataView(copy.buffer).setUint16(30, 0, true);
    copy.set(name, 46);
    parts.push(copy);
  }
  const directoryLength = parts.slice(1).reduce((n, p) => n + p.length, 0);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, copies, true);
  endView.setUint16(10, copies, true);
  endView.setUint32(12, directoryLength, true);
  endView.setUint32(16, offset, true);
  parts.push(end);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `zip` with the uncompressed size of its first entry declared as `size` in both headers. */
function declaringSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const { records } = centralRecords(out);
  view.setUint32(records[0].at + 24, size, true);
  view.setUint32(22, size, true); // the local header's copy
  return out;
}

describe("loadNpz against hostile archives (issue 15)", () => {
  it("refuses an archive whose arrays declare more than maxBytes, before inflating anything", () => {
    const bomb = zeroBomb(24);
    expect(bomb.length).toBeLessThan(MiB);
    expect(() => loadNpz(bomb, { maxBytes: 16 * MiB })).toThrow(InputLimitError);
    expect(() => loadNpz(bomb, { maxBytes: 16 * MiB })).toThrow(/more than 16 MiB unpacked .*raise the maxBytes option/);
    // Raised, the same archive loads.
    expect(loadNpz(bomb, { maxBytes: 25 * MiB }).X.shape).toEqual([3 * MiB]);
  });

  it("stops an entry that inflates past the size it declares", () => {
    const lying = declaringSize(zeroBomb(8), 1000);
    expect(() => loadNpz(lying)).toThrow(NpyFormatError);
    expect(() => loadNpz(lying)).toThrow(/entry "X.npy" inflates to more than the 1000 bytes it declares/);
  });

  it("counts overlapping entries (one compressed body listed many times) against the running limit", () => {
    const many = overlapping(zeroBomb(8), 1000);
    expect(many.length).toBeLessThan(MiB);
    expect(() => loadNpz(many)).toThrow(InputLimitError);
    expect(() => loadNpz(many, { maxBytes: 64 * MiB })).toThrow(/more than 64 MiB unpacked \(up to entry "a0007.npy"/);
  });

  it("checks names before inflating: a non-.npy entry is refused, an unwanted one is never inflated", () => {
    const withText = zipSync({ "X.npy": saveNpy(tensor([1, 2])), "notes.txt": new Uint8Array(10) });
    expect(() => loadNpz(withText)).toThrow(/"notes.txt" is not a .npy file/);
    // A corrupt deflate stream in an entry not asked for does not matter.
    const zip = zipSync({ "X.npy": [saveNpy(tensor([1, 2])), { level: 0 }], "junk.npy": [new Uint8Array(4096).fill(7), { level: 6 }] });
    const { records } = centralRecords(zip);
    const view = new DataView(zip.buffer);
    const junkLocal = view.getUint32(records[1].at + 42, true);
    zip.fill(0xff, junkLocal + 30 + "junk.npy".length, junkLocal + 30 + "junk.npy".length + 8);
    expect(() => loadNpz(zip)).toThrow(/"junk.npy"/);
    expect(Object.keys(loadNpz(zip, { names: ["X"] }))).toEqual(["X"]);
  });

  it("verifies each entry's CRC-32: a flipped data byte of a stored entry is refused, as NumPy refuses it", () => {
    const archive = saveNpz({ X: tensor([1, 2, 3, 4], { dtype: "float64" }) });
    const flipped = archive.slice();
    const dataEnd = centralRecords(flipped).offset - 1;
    flipped[dataEnd] ^= 0x01;
    expect(() => loadNpz(flipped)).toThrow(/entry "X.npy" fails its CRC-32 check/);
    expect(loadNpz(archive).X.shape).toEqual([4]);
  });

  it("computes the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("refuses a deeply nested .npy header with a typed error instead of overflowing the stack", () => {
    const header = `{'descr': ${"(".repeat(100000)}`;
    const padded = header + " ".repeat(64 - ((10 + header.length + 1) % 64)) + "\n";
    const bytes = new Uint8Array(10 + padded.length);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(bytes.buffer).setUint16(8, padded.length, true);
    bytes.set(new TextEncoder().encode(padded), 10);
    // 100,000 bytes need format 2.0's 4-byte length.
    const v2 = new Uint8Array(12 + padded.length);
    v2.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(v2.buffer).setUint32(8, padded.length, true);
    v2.set(new TextEncoder().encode(padded), 12);
    expect(() => loadNpy(v2)).toThrow(NpyFormatError);
    expect(() => loadNpy(v2)).toThrow(/nesting deeper than 32 levels/);
  });

  it("still reads every array of a normal archive", () => {
    const arrays = loadNpz(saveNpz({ a: tensor([1, 2]), b: tensor([[1, 2]], { dtype: "float64" }) }, { compressed: true }));
    expect(Object.keys(arrays)).toEqual(["a", "b"]);
    expect(arrays.b).toBeInstanceOf(Tensor);
  });
});
