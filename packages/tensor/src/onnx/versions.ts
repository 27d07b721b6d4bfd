/**
 * Which opsets curv reads and writes, and the IR version each one needs.
 */
import { OnnxError } from "../errors.js";

/**
 * The oldest default-domain opset curv accepts; ONNX Runtime supports nothing older.
 *
 * @example
 * ```ts
 * if (graph.opset < MIN_ONNX_OPSET) throw new Error("export the model with a newer opset");
 * ```
 */
export const MIN_ONNX_OPSET = 7;

/**
 * The newest default-domain opset curv accepts: the newest that onnxruntime
 * 1.30 loads (a test checks that it loads this one and refuses the next).
 *
 * @example
 * ```ts
 * encodeOnnx({ ...graph, opset: MAX_ONNX_OPSET }); // loads in onnxruntime 1.30
 * ```
 */
export const MAX_ONNX_OPSET = 26;

/**
 * The IR version of the ONNX release that introduced each opset, from the
 * ONNX versioning table (`docs/Versioning.md`): a model must declare at least
 * this IR version for a checker to accept its opset. Opsets 7-23 are from the
 * released table; 24 (ONNX 1.19) brought IR 12 and 25-26 (ONNX 1.20, 1.21) IR 13.
 */
const IR_VERSION_OF_OPSET: Readonly<Record<number, number>> = {
  7: 3, 8: 3, 9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7,
  15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10, 22: 10,
  23: 11, 24: 12, 25: 13, 26: 13,
};

/**
 * The newest IR version curv writes (onnxruntime 1.30 loads up to 13).
 *
 * @example
 * ```ts
 * encodeOnnx(graph, { irVersion: MAX_IR_VERSION });
 * ```
 */
export const MAX_IR_VERSION = 13;

/**
 * The ONNX domains curv knows besides the default one, with the opset version
 * it writes for each. The graph IR records only the default-domain opset, so a
 * node of another domain binds to the version listed here.
 *
 * @example
 * ```ts
 * // A node { op: "FusedMatMul", domain: "com.microsoft", ... } makes
 * // encodeOnnx import com.microsoft at this version:
 * KNOWN_DOMAIN_VERSIONS["com.microsoft"]; // 1
 * ```
 */
export const KNOWN_DOMAIN_VERSIONS: Readonly<Record<string, number>> = {
  // ONNX Runtime's contrib operators (FusedMatMul, Gelu, ...).
  "com.microsoft": 1,
  // Classical ML operators, at the version that came with opset 17.
  "ai.onnx.ml": 3,
  // Training operators (Gradient, Adagrad, ...).
  "ai.onnx.preview.training": 1,
};

/** The name of the default domain in messages; it is written as `""` (or `"ai.onnx"`) in models. */
export const DEFAULT_DOMAIN_NAME = "ai.onnx";

/** Whether `domain` names the default ONNX domain. */
export function isDefaultDomain(domain: string | undefined): boolean {
  return domain === undefined || domain === "" || domain === DEFAULT_DOMAIN_NAME;
}

/** Throws an {@link OnnxError} unless `version` is a default-domain opset curv supports. */
export function assertSupportedOpset(version: number, what: string): void {
  if (!Number.isInteger(version) || version < MIN_ONNX_OPSET || version > MAX_ONNX_OPSET) {
    throw new OnnxError(
      `${what}: unsupported opset ${version} for domain "${DEFAULT_DOMAIN_NAME}"; ` +
        `expected an integer from ${MIN_ONNX_OPSET} to ${MAX_ONNX_OPSET}`,
    );
  }
}

/**
 * The IR version to declare for a model of a supported default-domain opset.
 *
 * @example
 * ```ts
 * irVersionForOpset(17); // 8
 * irVersionForOpset(21); // 10
 * ```
 */
export function irVersionForOpset(opset: number): number {
  assertSupportedOpset(opset, "irVersionForOpset");
  return IR_VERSION_OF_OPSET[opset];
}
