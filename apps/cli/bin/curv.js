#!/usr/bin/env node
// The `curv` executable of this private workspace package: runs src/main.ts
// with tsx and the `@curv/source` condition (the workspace packages are used
// from their sources, unbuilt), passing the arguments and the exit code on.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import process from "node:process";
import { fileURLToPath, pathToFileURL, URL } from "node:url";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const child = spawnSync(process.execPath, ["--conditions=@curv/source", "--import", tsx, main, ...process.argv.slice(2)], { stdio: "inherit" });
process.exitCode = child.status ?? 1;
