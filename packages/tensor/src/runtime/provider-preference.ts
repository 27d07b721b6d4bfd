/**
 * The provider preference of the environment: `CURV_PROVIDER` holds a
 * comma-separated list such as `"webgpu,cpu"`, which apps and tests use to
 * move every compile to another provider without changing code.
 */

/**
 * The provider names of a comma-separated list (blanks ignored), or
 * undefined when the list is absent or empty.
 *
 * @example
 * ```ts
 * parseProviderList(" webgpu, cpu "); // ["webgpu", "cpu"]
 * parseProviderList(undefined);       // undefined
 * ```
 */
export function parseProviderList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return names.length === 0 ? undefined : names;
}
