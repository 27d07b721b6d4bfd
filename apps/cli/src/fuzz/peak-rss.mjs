// Preloaded into a fuzzed `curv` child (NODE_OPTIONS=--import): writes the
// process's peak resident set size, in KiB, to CURV_TEST_PEAK_RSS_FILE when
// it exits, however it exits (success, curv: error, process.exit on a signal).
import { writeFileSync } from "node:fs";
import process from "node:process";

const file = process.env.CURV_TEST_PEAK_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
