// The command line of the transformer tour: `pnpm --filter transformer-tour start -- [--out DIR] [--runtime js|ort]`.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArguments, repoRoot, USAGE } from "./cli-args.js";
import { runTransformerTour } from "./tour.js";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
} else {
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    await runTransformerTour(parseArguments(argv, process.env.INIT_CWD ?? process.cwd(), repoRoot(here)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
