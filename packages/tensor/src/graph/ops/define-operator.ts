import type { DType } from "../../dtype.js";
import { CurvError, DTypeError, GraphError } from "../../errors.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import type { ValueType } from "../ir.js";
import { dimsAgree } from "../symbolic-dim.js";
import { AttributeReader } from "./attributes.js";
import type { CountRange, InputSpec, OperatorDefinition, OperatorRules } from "./operator.js";

type ErrorConstructor = new (message: string, options?: { cause?: unknown }) => CurvError;

/**
 * Runs `body`, prefixing the message of any CurvError it throws with
 * `context` (keeping the error's class), so a kernel's or rule's error says
 * which node it came from.
 */
export function inContext<T>(context: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (!(error instanceof CurvError)) throw error;
    const Constructor = error.constructor as ErrorConstructor;
    throw new Constructor(`${context}: ${error.message}`, { cause: error });
  }
}

function countInputs(inputs: readonly InputSpec[]): CountRange {
  const variadic = inputs.some((i) => i.variadic);
  const min = inputs.filter((i) => !i.optional).length;
  return { min, max: variadic ? Infinity : inputs.length };
}

function formatCount({ min, max }: CountRange): string {
  if (min === max) return String(min);
  return max === Infinity ? `at least ${min}` : `${min} to ${max}`;
}

/**
 * Checks a node's inputs against the signature: their number, the presence of
 * required ones, each dtype against its type variable's constraint, and that
 * inputs sharing a type variable share a dtype.
 */
function checkInputs(rules: OperatorRules, range: CountRange, inputs: readonly ({ dtype: DType } | undefined)[]): void {
  let count = inputs.length;
  while (count > 0 && inputs[count - 1] === undefined) count--;
  const names = rules.inputs.map((i) => i.name).join(", ");
  if (count < range.min || count > range.max) {
    throw new GraphError(`expects ${formatCount(range)} inputs (${names}), got ${count}`);
  }
  const bound = new Map<string, { dtype: DType; index: number }>();
  for (let index = 0; index < count; index++) {
    const spec = rules.inputs[Math.min(index, rules.inputs.length - 1)];
    const label = `input ${index} ("${spec.name}")`;
    const input = inputs[index];
    if (input === undefined) {
      if (spec.optional) continue;
      throw new GraphError(`${label} is required but missing`);
    }
    const allowed = rules.typeConstraints[spec.type];
    if (!allowed.includes(input.dtype)) {
      throw new DTypeError(`${label} must be ${allowed.join(" or ")}, got ${input.dtype}`);
    }
    const first = bound.get(spec.type);
    if (first === undefined) bound.set(spec.type, { dtype: input.dtype, index });
    else if (first.dtype !== input.dtype) {
      throw new DTypeError(`${label} is ${input.dtype} but input ${first.index} is ${first.dtype}; both have type ${spec.type} and must match`);
    }
  }
}

/** Throws when an evaluated output disagrees with its inferred type (a bug in a rule or a kernel, never silent). */
function checkOutput(output: Tensor, type: ValueType, index: number): void {
  const fits = output.dtype === type.dtype && output.ndim === type.shape.length && type.shape.every((d, i) => dimsAgree(d, output.shape[i]));
  if (!fits) {
    throw new GraphError(
      `output ${index} is ${output.dtype} ${formatShape(output.shape)} but the type rule says ${type.dtype} ${formatShape(type.shape)}`,
    );
  }
}

/**
 * Builds an {@link OperatorDefinition} from an operator module's rules: the
 * public `inferTypes` and `evaluate` check inputs and attributes, fill in
 * defaults, and prefix errors with the context.
 *
 * @example
 * ```ts
 * const neg = defineOperator({
 *   name: "Neg",
 *   inputs: [{ name: "X", type: "T" }],
 *   typeConstraints: { T: NUMERIC_DTYPES },
 *   inferTypes: ([x]) => [x!],
 *   evaluate: ([x]) => [kernels.neg(x!)],
 * });
 * ```
 */
export function defineOperator(rules: OperatorRules): OperatorDefinition {
  const inputCount = countInputs(rules.inputs);
  const outputCount = rules.outputCount ?? { min: 1, max: 1 };
  const attributes = rules.attributes ?? {};
  return {
    name: rules.name,
    inputs: rules.inputs,
    inputCount,
    outputCount,
    typeConstraints: rules.typeConstraints,
    attributes,
    inputDTypes(index) {
      return rules.typeConstraints[rules.inputs[Math.min(index, rules.inputs.length - 1)].type];
    },
    inferTypes(inputs, attributeValues = {}, constantInputs = [], context = rules.name) {
      return inContext(context, () => {
        checkInputs(rules, inputCount, inputs);
        return rules.inferTypes(inputs, new AttributeReader(attributes, attributeValues), constantInputs);
      });
    },
    valuesFromTypes(inputs, attributeValues = {}, context = rules.name) {
      if (rules.valuesFromTypes === undefined) return undefined;
      return inContext(context, () => rules.valuesFromTypes!(inputs, new AttributeReader(attributes, attributeValues)));
    },
    evaluate(inputs, attributeValues = {}, { outputCount: wanted = outputCount.max, context = rules.name } = {}) {
      return inContext(context, () => {
        if (wanted < outputCount.min || wanted > outputCount.max) {
          throw new GraphError(`produces ${formatCount(outputCount)} outputs, ${wanted} requested`);
        }
        checkInputs(rules, inputCount, inputs);
        const reader = new AttributeReader(attributes, attributeValues);
        // Typing the concrete inputs first runs every check of the type rule, and its
        // result must describe what the kernels return.
        const types = rules.inferTypes(inputs, reader, inputs);
        const outputs = rules.evaluate(inputs, reader, wanted).slice(0, wanted);
        outputs.forEach((output, k) => checkOutput(output, types[k], k));
        return outputs;
      });
    },
  };
}
