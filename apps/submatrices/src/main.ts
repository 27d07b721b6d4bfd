// The sub-matrices tutorial: `pnpm --filter submatrices start -- [--provider cpu|cuda|webgpu|js]`.
import { parseProvider, USAGE } from "./cli-args.js";
import { loadFixtureProblem } from "./fixture-problem.js";
import { runSubmatricesTutorial } from "./submatrices-tutorial.js";

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(USAGE);
} else {
  try {
    const provider = parseProvider(argv);
    const { checks } = await runSubmatricesTutorial(loadFixtureProblem(), { provider });
    if (!checks.every((c) => c.ok)) process.exitCode = 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
