// The command line of the algorithms tour: `pnpm --filter algorithms-tour start -- [--out DIR]`.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAlgorithmsTour } from "./algorithms-tour.js";

const USAGE = "usage: pnpm --filter algorithms-tour start -- [--out DIR]   (DIR defaults to out/algorithms-tour in the repository)";

function repoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
  throw new Error("algorithms-tour: could not find the repository root (pnpm-workspace.yaml)");
}

const argv = process.argv.slice(2).filter((arg) => arg !== "--");
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
} else {
  try {
    const outIndex = argv.indexOf("--out");
    const unknown = argv.filter((arg, i) => i !== outIndex && i !== outIndex + 1);
    if (unknown.length > 0 || (outIndex >= 0 && argv[outIndex + 1] === undefined)) throw new Error(`algorithms-tour: unexpected arguments ${argv.join(" ")}\n${USAGE}`);
    const outDir = outIndex >= 0
      ? resolve(process.env.INIT_CWD ?? process.cwd(), argv[outIndex + 1])
      : join(repoRoot(dirname(fileURLToPath(import.meta.url))), "out", "algorithms-tour");
    await runAlgorithmsTour({ outDir });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
