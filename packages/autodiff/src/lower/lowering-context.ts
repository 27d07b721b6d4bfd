/**
 * The helpers lowerings use to emit constants and run-time shapes.
 */
import { GraphError, Tensor, tensor, type Dim, type DType, type GraphBuilder, type ValueInfo } from "@curv/tensor";
import type { LoweringContext } from "../rules/rule-types.js";

/** Where a symbolic extent can be read at run time: a graph input and its axis. */
interface SymbolSource {
  readonly input: ValueInfo;
  readonly axis: number;
}

/** A lowering context over `builder`, reading symbolic extents from `inputs`. */
export function createLoweringContext(builder: GraphBuilder, inputs: readonly ValueInfo[]): LoweringContext {
  const symbols = new Map<string, SymbolSource>();
  for (const info of inputs) {
    info.shape.forEach((d, axis) => typeof d === "string" && !symbols.has(d) && symbols.set(d, { input: info, axis }));
  }
  let counter = 0;
  const constant = (value: Tensor): ValueInfo => builder.constant(`const_${counter++}`, value);
  const int64 = (values: readonly number[]): ValueInfo => constant(tensor(values.map((v) => BigInt(v)), { dtype: "int64", shape: [values.length] }));
  const readSymbol = (symbol: string, dim: string): ValueInfo => {
    const source = symbols.get(symbol);
    if (source === undefined) {
      throw new GraphError(`the extent "${dim}" is not a product of numbers and symbols of graph inputs, so its run-time value is unknown`);
    }
    return builder.op("Shape", [source.input], { start: source.axis, end: source.axis + 1 });
  };
  // A symbolic extent is a symbol or a product such as "batch*4" (symbolic-dim.ts's canonical form).
  const readExtent = (dim: string): ValueInfo => {
    const factors = dim.split("*");
    const symbolic = factors.filter((f) => !/^\d+$/.test(f));
    const coefficient = factors.filter((f) => /^\d+$/.test(f)).reduce((p, f) => p * Number(f), 1);
    let extent = readSymbol(symbolic[0] ?? dim, dim);
    for (const symbol of symbolic.slice(1)) extent = builder.op("Mul", [extent, readSymbol(symbol, dim)]);
    return coefficient === 1 ? extent : builder.op("Mul", [extent, int64([coefficient])]);
  };
  return {
    builder,
    constant,
    int64,
    scalar: (value: number, dtype: DType) => constant(tensor([value], { dtype, shape: [] })),
    shapeTensor(shape, keep) {
      const entries = shape.map((d, i) => (keep !== undefined && keep.shape[i] === d && typeof d === "string" ? keep.fill : d));
      if (entries.every((d): d is number => typeof d === "number")) return int64(entries);
      // Reshape can infer one extent: write -1 there rather than reading shapes at run time.
      const symbolic = entries.filter((d) => typeof d === "string");
      if (keep?.fill === 0 && symbolic.length === 1) return int64(entries.map((d) => (typeof d === "string" ? -1 : d)));
      const pieces = entries.map((d: Dim) => (typeof d === "number" ? int64([d]) : readExtent(d)));
      return builder.op("Concat", pieces, { axis: 0 });
    },
  };
}
