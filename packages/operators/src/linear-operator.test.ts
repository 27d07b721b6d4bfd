import { DTypeError, Generator, ResourceLimitError, ShapeError, Tensor, ValueError, matmul, tensor, type FloatDType } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
import { IdentityLinearOperator } from "./identity-linear-operator.js";
import { LinearOperator, ProductLinearOperator, ScaledLinearOperator, SumLinearOperator } from "./linear-operator.js";
import { asFloat64, denseProduct, expectClose } from "./testing/dense-reference.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });

/**
 * A plain subclass with only `matmatImpl` and `adjoint`, as a curvature
 * operator will be: it records the column count of every product, and its
 * trace, determinants and norm come from the base class's dense fallbacks.
 */
class RecordingOperator extends LinearOperator<"float64"> {
  readonly columnsPerCall: number[] = [];
  constructor(readonly matrix: Tensor<"float64">, shapes?: { inputShapes: number[][]; outputShapes: number[][] }) {
    super({ dtype: "float64", inputShapes: shapes?.inputShapes ?? [[matrix.shape[1]]], outputShapes: shapes?.outputShapes ?? [[matrix.shape[0]]] });
  }
  protected async matmatImpl(x: Tensor<"float64">): Promise<Tensor<"float64">> {
    this.columnsPerCall.push(x.shape[1]);
    return matmul(this.matrix, x);
  }
  adjoint(): LinearOperator<"float64"> {
    return new RecordingOperator(this.matrix.transpose());
  }
}

/** A broken subclass: returns the wrong number of rows. */
class WrongShapeOperator extends LinearOperator<"float64"> {
  constructor() {
    super({ dtype: "float64", inputShapes: [[2]], outputShapes: [[3]] });
  }
  protected async matmatImpl(x: Tensor<"float64">): Promise<Tensor<"float64">> {
    return x;
  }
  adjoint(): LinearOperator<"float64"> {
    return this;
  }
}

const A = f64([[1, 2, 0], [0, 3, 1], [4, 0, 5], [1, 1, 1]]); // 4 x 3
const withBlocks = () => new DenseLinearOperator(A, { inputShapes: [[2], [1]], outputShapes: [[2, 1], [2]] });

describe("operands", () => {
  const bad: [string, (op: DenseLinearOperator<"float64">) => Promise<unknown>, new (...args: never[]) => Error, RegExp][] = [
    ["matvec with the wrong length", (op) => op.matvec(f64([1, 2])), ShapeError, /matvec: v must have shape \[3\] or a list of tensors shaped \[2\], \[1\]; got shape \[2\]/],
    ["matvec with a matrix", (op) => op.matvec(f64([[1], [2], [3]])), ShapeError, /matvec: v .*got shape \[3, 1\]/],
    ["matmat with a vector", (op) => op.matmat(f64([1, 2, 3])), ShapeError, /matmat: M must have shape \[3, K\] or a list of tensors shaped \[2, K\], \[1, K\]; got shape \[3\]/],
    ["matmat with the wrong rows", (op) => op.matmat(f64([[1], [2]])), ShapeError, /matmat: M .*got shape \[2, 1\]/],
    ["rmatvec with an input-space vector", (op) => op.rmatvec(f64([1, 2, 3])), ShapeError, /^DenseLinearOperator\.rmatvec: v must have shape \[4\] or a list of tensors shaped \[2, 1\], \[2\]/],
    ["rmatmat with an input-space matrix", (op) => op.rmatmat(f64([[1], [2], [3]])), ShapeError, /^DenseLinearOperator\.rmatmat: M must have shape \[4, K\] or a list of tensors shaped \[2, 1, K\], \[2, K\]; got shape \[3, 1\]/],
    ["a list with too few blocks", (op) => op.matvec([f64([1, 2])]), ShapeError, /got a list of 1 tensors shaped \[2\]/],
    ["a list with a misshaped block", (op) => op.matvec([f64([1, 2]), f64([3, 4])]), ShapeError, /shaped \[2\], \[1\]; got a list of 2 tensors shaped \[2\], \[2\]/],
    ["a matrix list with unequal K", (op) => op.matmat([f64([[1, 2], [3, 4]]), f64([[5]])]), ShapeError, /got a list of 2 tensors shaped \[2, 2\], \[1, 1\]/],
    ["a float32 vector", (op) => op.matvec(tensor([1, 2, 3]) as never), DTypeError, /matvec: v: expected dtype float64 \(the operator's\), got float32/],
    ["a float32 block", (op) => op.matvec([f64([1, 2]), tensor([3]) as never]), DTypeError, /matvec: v\[1\]: expected dtype float64/],
    ["a plain array", (op) => op.matvec([1, 2, 3] as never), ValueError, /matvec: v\[0\] must be a Tensor, got number/],
    ["a number", (op) => op.matvec(3 as never), ValueError, /matvec: v must be a Tensor or a list of Tensors, got number/],
  ];
  it.each(bad)("rejects %s, naming the operand and the shapes", async (_, call, type, message) => {
    const promise = call(withBlocks());
    await expect(promise).rejects.toBeInstanceOf(type);
    await expect(promise).rejects.toThrow(message);
  });

  it("names the operator class in messages", async () => {
    await expect(withBlocks().matvec(f64([1]))).rejects.toThrow(/^DenseLinearOperator\.matvec: v/);
  });

  it("accepts K = 1 and returns the same format", async () => {
    const op = withBlocks();
    const m = f64([[1], [2], [3]]);
    expect((await op.matmat(m)).shape).toEqual([4, 1]);
    expect((await op.matmat([f64([[1], [2]]), f64([[3]])])).map((t) => t.shape)).toEqual([[2, 1, 1], [2, 1]]);
  });

  it("returns results that share no storage with the operand", async () => {
    const v = f64([1, 2, 3]);
    const result = await new IdentityLinearOperator(3).matvec(v);
    expectClose(result, v, { rtol: 0, atol: 0 });
    result.data[0] = 100;
    expect(v.data[0]).toBe(1);
    const [block] = await new IdentityLinearOperator([[3]]).matvec([v]);
    block.data[1] = 100;
    expect(v.data[1]).toBe(2);
  });

  it("reports a subclass whose matmatImpl returns the wrong shape", async () => {
    await expect(new WrongShapeOperator().matvec(f64([1, 2]))).rejects.toThrow(/WrongShapeOperator\.matmatImpl returned float64 \[2, 1\], expected float64 \[3, 1\]/);
  });

  it("validates the spaces a subclass declares", () => {
    expect(() => new DenseLinearOperator(A, { inputShapes: [] })).toThrow(ValueError);
    expect(() => new DenseLinearOperator(A, { inputShapes: [[1.5]] })).toThrow(ShapeError);
    expect(() => new DenseLinearOperator(A, { inputShapes: [[2, 2]] })).toThrow(/inputShapes \[2, 2\] hold 4 entries, the matrix has 3/);
    expect(new WrongShapeOperator().shape).toEqual([3, 2]);
  });
});

describe("algebra", () => {
  const g = new Generator(3);
  const m1 = g.normal([3, 3], { dtype: "float64" });
  const m2 = g.normal([3, 3], { dtype: "float64" });
  const [a, b] = [new DenseLinearOperator(m1), new DenseLinearOperator(m2)];

  it("add, sub, scale, neg and compose give the dense results", async () => {
    const cases: [string, LinearOperator<"float64">, (i: number) => number][] = [
      ["a + b", a.add(b), (i) => m1.data[i] + m2.data[i]],
      ["a - b", a.sub(b), (i) => m1.data[i] - m2.data[i]],
      ["3a", a.scale(3), (i) => 3 * m1.data[i]],
      ["-a", a.neg(), (i) => -m1.data[i]],
    ];
    for (const [what, op, entry] of cases) {
      expectClose(await op.toDense(), new Tensor("float64", [3, 3], Float64Array.from({ length: 9 }, (_, i) => entry(i))), { rtol: 1e-14, atol: 1e-14 }, what);
    }
    expectClose(await a.compose(b).toDense(), denseProduct(m1, m2), { rtol: 1e-13, atol: 1e-14 }, "a b");
  });

  it("flattens nested sums, products and scalings", () => {
    const c = new IdentityLinearOperator(3);
    expect((a.add(b).add(c) as SumLinearOperator<"float64">).terms).toHaveLength(3);
    expect((a.compose(b).compose(a.compose(b)) as ProductLinearOperator<"float64">).factors).toHaveLength(4);
    const scaled = a.scale(2).scale(-3) as ScaledLinearOperator<"float64">;
    expect([scaled.scalar, scaled.operator]).toEqual([-6, a]);
  });

  it("keeps the left operand's blocks in sums and the outer blocks in products", () => {
    const left = new DenseLinearOperator(m1, { inputShapes: [[1], [2]], outputShapes: [[3]] });
    expect(left.add(b).inputShapes).toEqual([[1], [2]]);
    const product = b.compose(left);
    expect([product.inputShapes, product.outputShapes]).toEqual([[[1], [2]], [[3]]]);
  });

  it("knows self-adjointness from structure", () => {
    const d = new DiagonalLinearOperator(f64([1, 2, 3]));
    expect(d.adjoint()).toBe(d);
    expect(d.add(new IdentityLinearOperator(3).compose(a.compose(a.adjoint()))).isSelfAdjoint).toBe(false);
    const sum = d.scale(2).add(new IdentityLinearOperator(3));
    expect(sum.isSelfAdjoint).toBe(true);
    expect(a.add(b).isSelfAdjoint).toBe(false);
  });

  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["adding a different shape", () => a.add(new DenseLinearOperator(A)), ShapeError, /term 1 has shape \[4, 3\], term 0 has \[3, 3\]/],
    ["adding a different dtype", () => a.add(new IdentityLinearOperator(3, "float32") as never), DTypeError, /share a dtype, got float64 and float32/],
    ["composing mismatched shapes", () => new DenseLinearOperator(A).compose(new DenseLinearOperator(A)), ShapeError, /factor 0 has shape \[4, 3\] but factor 1 has shape \[4, 3\]; expected 3 rows/],
    ["composing different dtypes", () => a.compose(new IdentityLinearOperator(3, "float32") as never), DTypeError, /factors 0 and 1/],
    ["scaling by NaN", () => a.scale(NaN), ValueError, /scalar must be a finite number, got NaN/],
    ["scaling by Infinity", () => a.scale(Infinity), ValueError, /got Infinity/],
    ["an empty sum", () => new SumLinearOperator([]), ValueError, /at least one term/],
    ["an empty product", () => new ProductLinearOperator([]), ValueError, /at least one factor/],
  ];
  it.each(errors)("rejects %s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });
});

describe("toDense", () => {
  const matrix = new Generator(4).normal([5, 7], { dtype: "float64" });

  it.each([1, 2, 3, 7, 100])("with chunkSize %i runs one batched matmat per chunk of identity columns", async (chunkSize) => {
    const op = new RecordingOperator(matrix);
    expectClose(await op.toDense({ chunkSize, progressbar: true }), matrix, { rtol: 0, atol: 0 });
    const calls = Math.ceil(7 / chunkSize);
    expect(op.columnsPerCall).toHaveLength(calls);
    expect(op.columnsPerCall.reduce((s, k) => s + k, 0)).toBe(7);
    expect(op.columnsPerCall.slice(0, -1).every((k) => k === chunkSize)).toBe(true);
  });

  it("uses chunks of 256 columns by default", async () => {
    const op = new RecordingOperator(new Generator(5).normal([2, 300], { dtype: "float64" }));
    await op.toDense();
    expect(op.columnsPerCall).toEqual([256, 44]);
  });

  it.each([0, -1, 1.5, NaN])("rejects chunkSize %s", async (chunkSize) => {
    await expect(new RecordingOperator(matrix).toDense({ chunkSize })).rejects.toThrow(/RecordingOperator\.toDense: chunkSize must be a positive integer/);
  });
});

describe("dense fallbacks of a plain subclass", () => {
  const cases: [string, number[][]][] = [
    ["positive determinant", [[2, 1, 0], [1, 3, 1], [0, 1, 4]]],
    ["negative determinant", [[0, 1, 0], [1, 0, 0], [0, 0, 2]]],
    ["singular", [[1, 2, 3], [2, 4, 6], [1, 0, 1]]],
  ];
  it.each(cases)("trace, det, slogdet, logdet and frobeniusNorm for a %s", async (_, rows) => {
    const m = f64(rows);
    const op = new RecordingOperator(m);
    const trace = rows.reduce((s, r, i) => s + r[i], 0);
    const d = rows[0][0] * (rows[1][1] * rows[2][2] - rows[1][2] * rows[2][1]) - rows[0][1] * (rows[1][0] * rows[2][2] - rows[1][2] * rows[2][0]) +
      rows[0][2] * (rows[1][0] * rows[2][1] - rows[1][1] * rows[2][0]);
    expect(await op.trace()).toBe(trace);
    expectClose(await op.det(), d, { rtol: 1e-14, atol: 1e-14 });
    const s = await op.slogdet();
    expect(s.sign).toBe(Math.sign(d));
    const logdet = await op.logdet();
    if (d > 0) expectClose(logdet, Math.log(d), { rtol: 1e-14, atol: 1e-14 });
    else expect(logdet).toBe(d < 0 ? NaN : -Infinity);
    expectClose(await op.frobeniusNorm(), Math.hypot(...rows.flat()), { rtol: 1e-15, atol: 0 });
  });

  it("refuses trace and determinants of a rectangular operator, but gives its Frobenius norm", async () => {
    const op = new RecordingOperator(A);
    for (const method of ["trace", "det", "slogdet", "logdet"] as const) {
      await expect(op[method]()).rejects.toThrow(new RegExp(`RecordingOperator\\.(${method}|slogdet): needs a square operator, got shape \\[4, 3\\]`));
    }
    expectClose(await op.frobeniusNorm(), Math.hypot(...(A.toArray())), { rtol: 1e-15, atol: 0 });
  });

  it("multiplies lists through a plain subclass's own blocks", async () => {
    const op = new RecordingOperator(A, { inputShapes: [[3]], outputShapes: [[1], [3]] });
    const [top, rest] = await op.matvec([f64([1, 1, 1])]);
    expect([top.toArray(), rest.toArray()]).toEqual([[3], [4, 9, 3]]);
    expect(op.columnsPerCall).toEqual([1]);
  });
});

describe("float32 operators", () => {
  it("compute in float32 and match float64 loosely", async () => {
    const m = new Generator(6).normal([4, 4], { dtype: "float32" });
    const op = new DenseLinearOperator(m).add(new IdentityLinearOperator(4, "float32")).scale(0.5);
    const dense = await op.toDense();
    expect(dense.dtype).toBe<FloatDType>("float32");
    const expected = asFloat64(m);
    for (let i = 0; i < 4; i++) expected.data[i * 4 + i] += 1;
    for (let i = 0; i < 16; i++) expected.data[i] *= 0.5;
    expectClose(dense, expected, { rtol: 1e-6, atol: 1e-7 });
  });
});

describe("toDense of a matrix too large to hold (issue 15)", () => {
  class HugeOperator extends LinearOperator<"float32"> {
    calls = 0;
    constructor() {
      super({ dtype: "float32", inputShapes: [[65_792]], outputShapes: [[65_792]] });
    }
    protected async matmatImpl(x: Tensor<"float32">): Promise<Tensor<"float32">> {
      this.calls++;
      return x;
    }
    adjoint(): LinearOperator<"float32"> {
      return this;
    }
  }

  it("refuses P = 65,792 before any product, offering matvec, instead of V8's Invalid typed array length", async () => {
    const operator = new HugeOperator();
    const error = await operator.toDense().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect((error as Error).message).toBe(
      "HugeOperator.toDense: the 65792 x 65792 matrix (float32) is too large: it has 4328587264 entries, more than one array holds (4294967295); use matvec or matmat with the vectors you need",
    );
    expect(operator.calls).toBe(0);
  });

  it("honours maxBytes", async () => {
    await expect(new RecordingOperator(new Tensor("float64", [7, 7])).toDense({ maxBytes: 100 })).rejects.toThrow(/needs 392 bytes, over maxBytes 100 bytes/);
  });
});

describe("sums with diagonal terms", () => {
  // A sum adds a diagonal (or identity) term in one pass, without its product
  // tensor; the result must be the bits of "product in the dtype, then add".
  for (const dtype of ["float32", "float64"] as const) {
    it(`adds diag(d) x with the rounding of matmat then add (${dtype})`, async () => {
      const g = new Generator(11);
      const dense = new DenseLinearOperator(g.normal([7, 7], { dtype }));
      const diagonal = new DiagonalLinearOperator([g.normal([7], { dtype })]);
      const damping = new IdentityLinearOperator(7, dtype).scale(1e-2);
      const x = g.normal([7, 5], { dtype });
      const sum = await dense.add(diagonal).add(damping).add(new IdentityLinearOperator(7, dtype)).matmat(x);
      const expected = await dense.matmat(x);
      for (const term of [await diagonal.matmat(x), await damping.matmat(x), x]) {
        for (let i = 0; i < expected.data.length; i++) expected.data[i] += term.data[i];
      }
      expect(Array.from(sum.data)).toEqual(Array.from(expected.data));
    });
  }
});
