#!/usr/bin/env node
// The `curv` executable of this private workspace package: runs src/main.ts
// in this process (no child: a signal sent to `curv` reaches the work), with
// tsx compiling TypeScript and the `@curv/source` condition added to every
// resolution, so the workspace packages are used from their sources, unbuilt.
import { register } from "node:module";

const SOURCE_CONDITION = `export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, "@curv/source"] });
}`;
register(`data:text/javascript,${encodeURIComponent(SOURCE_CONDITION)}`);
const { register: registerTsx } = await import("tsx/esm/api");
registerTsx();
await import("../src/main.ts");
