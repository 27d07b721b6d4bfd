import { GraphError } from "../errors.js";
import { REGISTRY_OPSET } from "./ops/index.js";

/**
 * Throws unless `opset` is one whose operator semantics the registry
 * implements. Only opset 17 is: later opsets move attributes to inputs
 * (ReduceMean's axes in 18), so reading a newer graph with opset-17 rules
 * would be silently wrong.
 */
export function checkOpset(opset: number, what: string): void {
  if (opset !== REGISTRY_OPSET) {
    throw new GraphError(`${what}: opset ${opset} is not supported; curv's operator registry implements opset ${REGISTRY_OPSET}`);
  }
}
