/**
 * The ONNX operators importOnnx maps to autodiff primitives and composites,
 * one row per operator; the mappings live in files by family.
 */
import { DENSE_OPERATORS } from "./dense-operators.js";
import { ELEMENTWISE_OPERATORS } from "./elementwise-operators.js";
import { LAYOUT_OPERATORS } from "./layout-operators.js";
import { NORMALIZATION_OPERATORS } from "./normalization-operators.js";
import type { OperatorMapping } from "./operator-mapping.js";
import { VALUE_OPERATORS } from "./value-operators.js";
import { WINDOW_OPERATORS } from "./window-operators.js";

/** Every supported operator of the default ONNX domain and how it is traced. */
export const ONNX_OPERATORS: ReadonlyMap<string, OperatorMapping> = new Map(
  Object.entries({
    ...DENSE_OPERATORS,
    ...WINDOW_OPERATORS,
    ...ELEMENTWISE_OPERATORS,
    ...NORMALIZATION_OPERATORS,
    ...LAYOUT_OPERATORS,
    ...VALUE_OPERATORS,
  }),
);

/** The supported operator names, sorted, for messages and docs. */
export const SUPPORTED_ONNX_OPERATORS: readonly string[] = [...ONNX_OPERATORS.keys()].sort();
