/**
 * Dense references for the KFAC tests, built independently of KFAC's taps:
 * the GGN of a model over a data set from GGN-vector products (one JVP, one
 * output-space Hessian product, one VJP) with every unit vector at once, and
 * its block-diagonal part.
 */
import {
  compileProgram, functionalCall, ggnVectorProduct, input, makeProgram, ModelInputs, vmap,
  type CurvatureLoss, type Module, type Value,
} from "@curv/autodiff";
import { Tensor, isFloat, sizeOf, type FloatDType } from "@curv/tensor";

/**
 * `Σ_b w_b J_bᵀ ∇²L_b J_b` over `batches` (w_b = N_b/N under mean reduction,
 * 1 under sum), `[P, P]` in float64 with every parameter of `model` in
 * `namedParameters()` order, on the `js` runtime.
 */
export async function denseGGN(model: Module, loss: CurvatureLoss, batches: readonly (readonly [Tensor, Tensor])[]): Promise<Tensor<"float64">> {
  const leaves = ModelInputs.of(model);
  const [X0, y0] = batches[0];
  const x = input("x", X0.dtype, ["batch", ...X0.shape.slice(1)]);
  const y = input("y", y0.dtype, ["batch", ...y0.shape.slice(1)]);
  const shapes = leaves.parameters.map((p) => p.shape as number[]);
  const total = shapes.reduce((n, s) => n + sizeOf(s), 0);
  const probes = leaves.parameters.map((p, i) => input(`probe.${i}`, p.dtype, [total, ...shapes[i]]));
  const forward = (params: Value[]) => functionalCall(model, x, leaves.withParameters(params)).output;
  const columns = vmap((vs) => ggnVectorProduct(forward, (o) => loss.value(o, y), leaves.parameters, vs), total, probes.map(() => true))(probes);
  const program = makeProgram("dense GGN", [x, y, ...leaves.values, ...probes], columns.map((value, i) => ({ name: `column.${i}`, value })));
  const compiled = await compileProgram(program, { runtime: "js" });
  // probe i holds the rows of the identity that fall into parameter i.
  const feeds: Record<string, Tensor> = { ...leaves.tensors() };
  let offset = 0;
  shapes.forEach((shape, i) => {
    const size = sizeOf(shape);
    const probe = new Tensor(leaves.parameters[i].dtype as FloatDType, [total, ...shape]);
    for (let k = 0; k < size; k++) probe.data[(offset + k) * size + k] = 1;
    feeds[`probe.${i}`] = probe;
    offset += size;
  });
  const numData = batches.reduce((n, [X]) => n + X.shape[0], 0);
  const ggn = new Tensor("float64", [total, total]);
  for (const [X, Y] of batches) {
    const outputs = await compiled.run({ ...feeds, x: X, y: isFloat(Y.dtype) ? Y : Y });
    const weight = loss.reduction === "mean" ? X.shape[0] / numData : 1;
    let column = 0;
    shapes.forEach((shape, i) => {
      const size = sizeOf(shape);
      const block = outputs[`column.${i}`].data as ArrayLike<number>; // [total, size]: row k is (G e_k) restricted to parameter i
      for (let k = 0; k < total; k++) for (let j = 0; j < size; j++) ggn.data[(column + j) * total + k] += weight * block[k * size + j];
      column += size;
    });
  }
  return ggn;
}

/** `m` with every entry outside the diagonal blocks `groups` (lists of positions) set to zero. */
export function blockDiagonalPart(m: Tensor<"float64">, groups: readonly (readonly number[])[]): Tensor<"float64"> {
  const n = m.shape[0];
  const out = new Tensor("float64", [n, n]);
  for (const group of groups) for (const i of group) for (const j of group) out.data[i * n + j] = m.data[i * n + j];
  return out;
}

/** Positions `[start, start + length)`. */
export function positions(start: number, length: number): number[] {
  return Array.from({ length }, (_, i) => start + i);
}
