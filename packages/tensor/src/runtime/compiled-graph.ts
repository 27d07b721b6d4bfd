/**
 * What `compile` returns: a graph loaded on one provider of one runtime.
 */
import type { ValueInfo } from "../graph/ir.js";
import type { Tensor } from "../tensor.js";
import type { ProviderName, RuntimeName } from "./providers.js";

/**
 * A graph compiled for one runtime and provider, run as many times as needed
 * with different feeds. Symbolic extents of the inputs (a `"batch"` axis) take
 * their values from the feeds of each run, so one compiled graph serves every
 * batch size.
 *
 * Compiling the same graph again with the same runtime, provider and options
 * returns the same object; it counts its users, and {@link dispose} releases
 * the runtime's session once every `compile` that returned it has been
 * matched by a `dispose`.
 *
 * @example
 * ```ts
 * const b = new GraphBuilder("affine");
 * const x = b.input("x", "float32", ["batch", 3]);
 * const w = b.input("w", "float32", [3, 2]);
 * b.output(b.op("MatMul", [x, w]), "y");
 * const program = await compile(b.build());
 * const { y } = await program.run({ x: ones([5, 3]), w: ones([3, 2]) });
 * y.shape; // [5, 2]
 * await program.dispose();
 * ```
 */
export interface CompiledGraph {
  /** The graph's inputs: the feeds every run needs. */
  readonly inputs: readonly ValueInfo[];
  /** The graph's outputs: the values a run can fetch. */
  readonly outputs: readonly ValueInfo[];
  /** The runtime the graph was compiled for. */
  readonly runtime: RuntimeName;
  /** The provider that started, the first of the preference list that could. */
  readonly provider: ProviderName;
  /**
   * Runs the graph. `feeds` maps every input name to a tensor of the declared
   * dtype and shape (symbolic extents bound consistently across inputs);
   * `fetches` names the outputs to return (all by default).
   *
   * @throws {ValueError} for a missing or unknown feed, or an unknown fetch.
   * @throws {DTypeError} / {ShapeError} for a feed of the wrong dtype / shape.
   * @throws {RuntimeError} when the runtime fails, or after {@link dispose}.
   */
  run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, Tensor>>;
  /** Releases this user's hold; the session is released with the last one. */
  dispose(): Promise<void>;
}
