// The command line of the curvature tour: `pnpm --filter curvature-tour start -- [--provider NAME] [--out DIR]`.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot, parseTourArguments, USAGE } from "./cli-args.js";
import { runCurvatureTour } from "./tour.js";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
} else {
  try {
    const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
    const { outDir, provider } = parseTourArguments(argv, process.env.INIT_CWD ?? process.cwd(), repoRoot);
    await runCurvatureTour({ outDir, provider });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
