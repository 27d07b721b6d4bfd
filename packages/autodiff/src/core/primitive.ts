/**
 * A primitive is a small object: a name and a type rule. It knows nothing
 * about transformations; each transformation keeps its own table of rules
 * keyed by primitive (`jvpRules`, `transposeRules`, `batchRules`,
 * `onnxLowerings`).
 */
import { CurvError, ValueError, type ValueType } from "@curv/tensor";
import { Value } from "./value.js";

/** The static parameters of one application: JSON-like, compared structurally. */
export type Params = Readonly<Record<string, unknown>>;

/**
 * One operation of the program vocabulary.
 *
 * @example
 * ```ts
 * const negP = definePrimitive<{}>("neg", ([x]) => x);
 * const y = bind(negP, [x], {});
 * ```
 */
export interface Primitive<P extends Params = Params> {
  readonly name: string;
  /**
   * The output's dtype and shape from the operands' (shapes may be symbolic).
   * Throws a ShapeError / DTypeError / ValueError saying what was expected.
   */
  inferType(inputs: readonly ValueType[], params: P): ValueType;
}

/**
 * Defines a primitive from its name and type rule; its rules go in a
 * `PrimitiveRules` object and a row of `PRIMITIVES`.
 *
 * @example
 * ```ts
 * const squareP = definePrimitive<NoParams>("square", ([x]) => x);
 * ```
 */
export function definePrimitive<P extends Params>(name: string, inferType: (inputs: readonly ValueType[], params: P) => ValueType): Primitive<P> {
  return { name, inferType };
}

/**
 * Applies `primitive` to `inputs`: checks the types (errors name the
 * primitive) and returns the shared node for this application.
 *
 * @example
 * ```ts
 * const y = bind(squareP, [x], {});   // bind(squareP, [x], {}) === y
 * ```
 */
export function bind<P extends Params>(primitive: Primitive<P>, inputs: readonly Value[], params: P): Value {
  inputs.forEach((x, i) => {
    if (!(x instanceof Value)) throw new ValueError(`${primitive.name}: operand ${i} is not a traced value (got ${typeof x})`);
  });
  return Value.apply(primitive as Primitive, inputs, params, () => {
    try {
      return primitive.inferType(inputs, params);
    } catch (error) {
      if (error instanceof CurvError) {
        const Class = error.constructor as new (message: string, options?: { cause?: unknown }) => CurvError;
        throw new Class(`${primitive.name}(${inputs.join(", ")}): ${error.message}`, { cause: error });
      }
      throw error;
    }
  });
}

/** The params of a primitive that has none. */
export type NoParams = Readonly<Record<string, never>>;
