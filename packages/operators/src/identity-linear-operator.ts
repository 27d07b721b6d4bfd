import { Tensor, ValueError, type FloatDType, type Shape, type SignAndLogDeterminant } from "@curv/tensor";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";

function readShapes(shapes: number | readonly Shape[]): readonly Shape[] {
  if (typeof shapes === "number") {
    if (!Number.isInteger(shapes) || shapes < 0) throw new ValueError(`IdentityLinearOperator: size must be a non-negative integer, got ${shapes}`);
    return [[shapes]];
  }
  return shapes;
}

/**
 * The identity on a space of blocks (curvlinops' `IdentityLinearOperator`
 * from `curvlinops.examples`): `n` alone means one block `[n]`, a list of
 * shapes gives list format, e.g. one block per parameter. Products copy their
 * operand. Exact: `trace = n`, `det = 1`, `‖I‖_F = √n`, and `inverse(damping)`
 * is the diagonal `1 / (1 + damping)`.
 *
 * @example
 * ```ts
 * const id = new IdentityLinearOperator([[2, 3], [3]], "float64");
 * id.shape;                                      // [9, 9]
 * await id.trace();                              // 9
 * await id.inverse(1).trace();                   // 4.5
 * ```
 */
export class IdentityLinearOperator<D extends FloatDType = "float64"> extends DiagonalLinearOperator<D> {
  constructor(shapes: number | readonly Shape[], dtype: D = "float64" as D) {
    const blocks = readShapes(shapes);
    if (!Array.isArray(blocks) || blocks.length === 0) throw new ValueError("IdentityLinearOperator: expected a size or a non-empty list of shapes");
    super(blocks.map((shape) => {
      const ones = new Tensor(dtype, shape);
      ones.data.fill(1);
      return ones;
    }));
  }

  protected override async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    return x;
  }

  override async trace(): Promise<number> {
    return this.shape[0];
  }

  override async det(): Promise<number> {
    return 1;
  }

  override async slogdet(): Promise<SignAndLogDeterminant> {
    return { sign: 1, logAbsDet: 0 };
  }

  override async frobeniusNorm(): Promise<number> {
    return Math.sqrt(this.shape[0]);
  }
}
