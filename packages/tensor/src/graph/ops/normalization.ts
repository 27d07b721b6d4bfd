/**
 * Normalization layers at inference: BatchNormalization (running
 * statistics), LayerNormalization, and Dropout (the identity).
 */
import { GraphError } from "../../errors.js";
import { full, type Tensor } from "../../tensor.js";
import type { ValueType } from "../ir.js";
import { attributeError } from "./attributes.js";
import { scalarOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import { BOOL_DTYPES, FLOAT_DTYPES, type OperatorDefinition } from "./operator.js";

/** Dropout in training mode draws random masks; curv feeds randomness from the host, so only inference is supported. */
function rejectTraining(trainingMode: Tensor | undefined): void {
  if (trainingMode !== undefined && scalarOf(trainingMode, 'input 2 ("training_mode")') !== 0) {
    throw new GraphError('input 2 ("training_mode") is true, but only inference Dropout (the identity) is supported');
  }
}

const DROPOUT = defineOperator({
  name: "Dropout",
  inputs: [
    { name: "data", type: "T" },
    { name: "ratio", type: "T1", optional: true },
    { name: "training_mode", type: "T2", optional: true },
  ],
  outputCount: { min: 1, max: 2 },
  typeConstraints: { T: FLOAT_DTYPES, T1: FLOAT_DTYPES, T2: BOOL_DTYPES },
  attributes: { seed: { kind: "int" } },
  inferTypes([x], _attributes, constants) {
    rejectTraining(constants[2]);
    const { dtype, shape } = x as ValueType;
    return [{ dtype, shape }, { dtype: "bool", shape }];
  },
  evaluate([x, , trainingMode], _attributes, outputCount) {
    rejectTraining(trainingMode);
    // At inference nothing is dropped: the mask keeps every element.
    return outputCount === 1 ? [x!] : [x!, full(x!.shape, 1, "bool")];
  },
});

/** BatchNormalization, LayerNormalization and Dropout. */
export const NORMALIZATION_OPERATORS: readonly OperatorDefinition[] = [DROPOUT];
