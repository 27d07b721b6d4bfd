import { readFileSync } from "node:fs";
import { CurvError, type DType } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { loadNpy } from "./load-npy.js";
import { NpyFormatError } from "./npy-error.js";

// Files written by NumPy itself (see testdata/README.md for the script), so
// the reader is checked against an independent writer.
const readTestFile = (name: string) => new Uint8Array(readFileSync(new URL(`./testdata/${name}`, import.meta.url)));

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

interface FileCase {
  file: string;
  dtype: DType;
  shape: number[];
  values: (number | bigint)[];
}

const FILES: FileCase[] = [
  // np.asfortranarray(np.arange(24.).reshape(2,3,4)): element [i, j, k] is 12 i + 4 j + k in any order.
  { file: "f8-fortran.npy", dtype: "float64", shape: [2, 3, 4], values: range(24) },
  { file: "f4-big-endian.npy", dtype: "float32", shape: [2, 2], values: [1.5, -2.25, 3, Math.fround(1e-3)] },
  { file: "i8-big-endian.npy", dtype: "int64", shape: [3], values: [-3n, 2n ** 40n, 5n] },
  { file: "i4.npy", dtype: "int32", shape: [2, 2], values: [-7, 0, 2 ** 31 - 1, -(2 ** 31)] },
  { file: "i8.npy", dtype: "int64", shape: [3], values: [-3n, 2n ** 53n, 5n] },
  { file: "b1.npy", dtype: "bool", shape: [2, 3], values: [1, 0, 0, 0, 1, 1] },
  { file: "u1.npy", dtype: "int32", shape: [3], values: [0, 255, 7] },
  { file: "f8-scalar.npy", dtype: "float64", shape: [], values: [2.5] },
  { file: "f4-empty.npy", dtype: "float32", shape: [0, 3], values: [] },
  { file: "f8-version2.npy", dtype: "float64", shape: [3], values: [1, -0.5, 1e300] },
];

describe("loadNpy on files NumPy wrote", () => {
  it.each(FILES)("$file → $dtype $shape", ({ file, dtype, shape, values }) => {
    const t = loadNpy(readTestFile(file));
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual(shape);
    expect(Array.from(t.data as ArrayLike<number | bigint>)).toEqual(values);
  });

  it("reads a Fortran-order file so that get(i, j, k) is NumPy's a[i, j, k]", () => {
    const t = loadNpy(readTestFile("f8-fortran.npy"));
    expect(t.get(1, 2, 3)).toBe(23);
    expect(t.get(0, 1, 0)).toBe(4);
  });
});

/** `.npy` bytes of a header dict and a body, version 1.0. */
function npyBytes(dict: string, body: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const text = new TextEncoder().encode(dict + "\n");
  const lengthSize = version === 1 ? 2 : 4;
  const bytes = new Uint8Array(8 + lengthSize + text.length + body.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  new DataView(bytes.buffer).setUint16(8, text.length, true);
  bytes.set(text, 8 + lengthSize);
  bytes.set(body, 8 + lengthSize + text.length);
  return bytes;
}

const f4Dict = (shape: string) => `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
const intact = readTestFile("i4.npy");

describe("loadNpy errors", () => {
  it.each([
    { problem: "an empty file", bytes: new Uint8Array(0), message: /not a \.npy file.*empty file/ },
    { problem: "a zip archive", bytes: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0]), message: /magic string.*50 4b 03 04/ },
    { problem: "an unknown version", bytes: (() => { const b = intact.slice(); b[6] = 9; return b; })(), message: /version 9\.0 is not supported/ },
    { problem: "a file cut inside the header", bytes: intact.subarray(0, 40), message: /truncated: the header needs/ },
    { problem: "a file cut inside the data", bytes: intact.subarray(0, intact.length - 3), message: /truncated: shape \[2, 2\] of <i4 needs 16 bytes of data, the file has 13/ },
    { problem: "bytes after the data", bytes: npyBytes(f4Dict("(1,)"), new Uint8Array(8)), message: /has extra bytes.*needs 4 bytes of data, the file has 8/ },
    { problem: "complex numbers", bytes: readTestFile("c16.npy"), message: /dtype "<c16" is not supported; supported: <f4/ },
    { problem: "Python objects", bytes: readTestFile("object.npy"), message: /dtype "\|O" is not supported/ },
    { problem: "a structured dtype", bytes: npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), message: /structured dtype/ },
    { problem: "a header without shape", bytes: npyBytes("{'descr': '<f4', 'fortran_order': False}"), message: /key 'shape' is missing/ },
    { problem: "a negative extent", bytes: npyBytes(f4Dict("(-1,)")), message: /'shape' must be a tuple of non-negative integers/ },
    { problem: "a non-boolean fortran_order", bytes: npyBytes("{'descr': '<f4', 'fortran_order': 0, 'shape': (), }"), message: /'fortran_order' must be True or False/ },
    { problem: "a header that is not a literal", bytes: npyBytes("{'descr': <f4}"), message: /\.npy header: expected a string, integer/ },
    { problem: "an unterminated header string", bytes: npyBytes("{'descr"), message: /unterminated string/ },
  ])("$problem", ({ bytes, message }) => {
    const error = (() => {
      try {
        loadNpy(bytes);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NpyFormatError);
    expect(error).toBeInstanceOf(CurvError);
    expect((error as NpyFormatError).code).toBe("NPY_FORMAT");
    expect((error as Error).message).toMatch(message);
  });

  it("refuses something other than bytes", () => {
    expect(() => loadNpy([1, 2, 3] as unknown as Uint8Array)).toThrow(/expected the file bytes as a Uint8Array, got \[object Array\]/);
  });

  it("reads Python 2 long integers in the shape", () => {
    const t = loadNpy(npyBytes(f4Dict("(1L, 2L)"), new Uint8Array(8)));
    expect(t.shape).toEqual([1, 2]);
  });
});
