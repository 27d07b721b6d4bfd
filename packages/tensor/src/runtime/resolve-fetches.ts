/**
 * Which outputs a run of a compiled graph returns. Unlike the interpreter,
 * which can return any value, ORT sessions return graph outputs only, so a
 * compiled graph accepts exactly those.
 */
import { ValueError } from "../errors.js";
import type { ValueInfo } from "../graph/ir.js";

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

/**
 * The fetches to run: all outputs when `fetches` is undefined, else `fetches`
 * after checking that each names an output, once.
 *
 * @throws {ValueError} for an unknown or repeated fetch, or an empty list.
 *
 * @example
 * ```ts
 * resolveFetches("g", graph.outputs, ["loss"]); // ["loss"]
 * resolveFetches("g", graph.outputs, ["lss"]);  // ValueError: graph "g": unknown fetch "lss"; the outputs are "loss", "logits"
 * ```
 */
export function resolveFetches(graphName: string, outputs: readonly ValueInfo[], fetches?: readonly string[]): readonly string[] {
  const names = outputs.map((o) => o.name);
  if (fetches === undefined) return names;
  if (!Array.isArray(fetches) || fetches.length === 0) {
    throw new ValueError(`graph "${graphName}": fetches must be a non-empty list of output names (${quoteList(names)}), got ${JSON.stringify(fetches)}`);
  }
  const seen = new Set<string>();
  for (const name of fetches) {
    if (!names.includes(name)) throw new ValueError(`graph "${graphName}": unknown fetch "${name}"; the outputs are ${quoteList(names)}`);
    if (seen.has(name)) throw new ValueError(`graph "${graphName}": fetch "${name}" is listed twice`);
    seen.add(name);
  }
  return fetches;
}
