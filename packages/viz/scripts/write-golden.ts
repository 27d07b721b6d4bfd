// Rewrites the golden image that src/node/golden.test.ts compares against.
// Run after a deliberate change to the pictures, and look at the result first.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GOLDEN_FILE, GOLDEN_MATRIX, GOLDEN_OPTIONS } from "../src/node/golden/heatmap-4x4.js";
import { heatmapPng } from "../src/node/png.js";

writeFileSync(GOLDEN_FILE, heatmapPng(GOLDEN_MATRIX, GOLDEN_OPTIONS));
console.log(`wrote ${fileURLToPath(GOLDEN_FILE)}`);
