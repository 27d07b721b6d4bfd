// The command line: `pnpm --filter singd-fashion-mnist start -- --epochs 1 --out DIR` (see USAGE).
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { runFashionMnist } from "./app.js";
import { findRepoRoot, parseAppArguments, USAGE } from "./cli-args.js";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
} else {
  try {
    const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
    await runFashionMnist(parseAppArguments(argv, process.env.INIT_CWD ?? process.cwd(), repoRoot));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
