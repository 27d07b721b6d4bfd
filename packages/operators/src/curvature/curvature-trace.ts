/**
 * The symbolic pieces every curvature program is built from: the data and
 * target inputs, the model's leaves, the selected parameters, the forward
 * as a function of those parameters, and the loss. Parameters, buffers,
 * data and random draws are all program inputs, so one compiled program
 * serves every batch and every parameter value.
 */
import {
  CurvError, ShapeError, ValueError, formatShape, isFloat, type FloatDType, type Generator, type Tensor,
} from "@curv/tensor";
import {
  ModelInputs, functionalCall, input, makeProgram, type CurvatureLoss, type InputSpec, type Module, type Program, type Value,
} from "@curv/autodiff";
import type { ParameterSelection } from "./parameter-selection.js";

/** The input types of a data set, read from its first batch (the batch axis symbolic). */
export interface DataSpecs {
  readonly X: InputSpec;
  readonly y: InputSpec;
}

/** The batch axis' symbol in every program's inputs. */
export const BATCH = "batch";

/** The specs of a batch, `X` converted to `dtype` when it is float. */
export function dataSpecsOf(X: Tensor, y: Tensor, dtype: FloatDType): DataSpecs {
  return {
    X: { dtype: isFloat(X.dtype) ? dtype : X.dtype, shape: [BATCH, ...X.shape.slice(1)] },
    // Class labels run as int64 everywhere: ORT's OneHot takes no int32 indices (NumPy's uint8 and int16 labels load as int32).
    y: { dtype: isFloat(y.dtype) ? dtype : y.dtype === "int32" ? "int64" : y.dtype, shape: y.ndim === 0 ? [] : [BATCH, ...y.shape.slice(1)] },
  };
}

/** A model traced for curvature programs. */
export class CurvatureTrace {
  readonly x: Value;
  readonly y: Value;
  readonly leaves: ModelInputs;
  /** The selected parameters' inputs, in the selection's order. */
  readonly selected: readonly Value[];
  readonly #model: Module;
  readonly #selection: ParameterSelection;

  constructor(model: Module, selection: ParameterSelection, specs: DataSpecs, who: string) {
    this.#model = model;
    this.#selection = selection;
    this.leaves = ModelInputs.of(model);
    this.x = input("x", specs.X.dtype, specs.X.shape);
    this.y = input("y", specs.y.dtype, specs.y.shape);
    const all = this.leaves.parameters;
    this.selected = selection.positions.map((p) => all[p]);
    try {
      // Trace the forward once now, so a model that does not accept X fails here with a message about the data.
      void this.output;
    } catch (error) {
      if (!(error instanceof CurvError)) throw error;
      throw new ShapeError(`${who}: the model does not accept X of shape ${formatShape(specs.X.shape)} (${specs.X.dtype}): ${error.message}`, { cause: error });
    }
  }

  /** The model's output on `x` (default: the data input) as a function of the selected parameters (the others held at their inputs). */
  forward(selected: readonly Value[], x: Value = this.x): Value {
    const all = [...this.leaves.parameters];
    this.#selection.positions.forEach((p, i) => (all[p] = selected[i]));
    return functionalCall(this.#model, x, this.leaves.withParameters(all), { taps: false }).output;
  }

  /** The output at the parameters' inputs. */
  get output(): Value {
    return this.forward(this.selected);
  }

  /** The loss of `output` against `y` (default: the target input), checked with a message that names the data. */
  lossOf(loss: CurvatureLoss, output: Value, who: string, y: Value = this.y): Value {
    try {
      return loss.value(output, y);
    } catch (error) {
      if (!(error instanceof CurvError)) throw error;
      throw new ShapeError(`${who}: y of shape ${formatShape(y.shape)} (${y.dtype}) does not fit ${loss.kind} of the model's output ${formatShape(output.shape)}: ${error.message}`, { cause: error });
    }
  }

  /**
   * A program with inputs `data` (default `x` and `y`), the model's leaves
   * and `extra`; the leaves are read after the outputs are built, so every
   * random draw the forward asked for is an input.
   */
  program(name: string, outputs: readonly { name: string; value: Value }[], extra: readonly Value[], data: readonly Value[] = [this.x, this.y]): Program {
    return makeProgram(name, [...data, ...this.leaves.values, ...extra], outputs);
  }

  /**
   * The feeds of the model's leaves for a batch of `batchSize` examples: the
   * model's current parameters and buffers, and fresh random draws (Dropout
   * masks) from `generator`.
   */
  leafFeeds(batchSize: number, generator: Generator): Record<string, Tensor> {
    const feeds = this.leaves.tensors();
    for (const random of this.leaves.randoms) {
      const shape = random.shape.map((d) => {
        if (typeof d === "number") return d;
        if (d === BATCH) return batchSize;
        throw new ValueError(`the random input "${random.name}" has an extent "${d}" other than the batch`);
      });
      feeds[random.name] = random.draw(generator, shape);
    }
    return feeds;
  }
}

/** `X` (and `y`) in the dtype of the specs: float data converted. */
export function castBatch(X: Tensor, y: Tensor, specs: DataSpecs): { X: Tensor; y: Tensor } {
  return {
    X: X.dtype === specs.X.dtype ? X : X.astype(specs.X.dtype),
    y: y.dtype === specs.y.dtype ? y : y.astype(specs.y.dtype),
  };
}
