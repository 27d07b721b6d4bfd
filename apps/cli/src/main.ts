// The `curv` command: `pnpm curv -- matrix ...`, or `curv` once the package's bin is linked.
import { runCli } from "./run-cli.js";

// pnpm runs the `start` script in this package's folder and keeps the user's
// folder in INIT_CWD; relative paths on the command line mean the user's.
if (process.env.npm_lifecycle_event === "start" && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// Ctrl-C (or a kill) stops the work at once and writes nothing: exiting runs
// writeFileAtomic's exit handler, which removes a half-written temporary
// file, and the result is only ever renamed into place whole. 128 + the
// signal's number, as shells report it.
const interrupted = new AbortController();
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  process.once(signal, () => {
    interrupted.abort();
    process.exit(code);
  });
}
process.exitCode = await runCli(process.argv.slice(2), undefined, { signal: interrupted.signal });
