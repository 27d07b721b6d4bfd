// The `curv` command: `pnpm curv -- matrix ...`, or `curv` once the package's bin is linked.
import { runCli } from "./run-cli.js";

// pnpm runs the `start` script in this package's folder and keeps the user's
// folder in INIT_CWD; relative paths on the command line mean the user's.
if (process.env.npm_lifecycle_event === "start" && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await runCli(process.argv.slice(2));
