// The command line of the structures tour: `pnpm --filter structures-tour start -- --out DIR`.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot, parseTourArguments, USAGE } from "./cli-args.js";
import { runStructuresTour } from "./tour.js";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
} else {
  try {
    const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
    const { outDir } = parseTourArguments(argv, process.env.INIT_CWD ?? process.cwd(), repoRoot);
    runStructuresTour({ outDir });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
