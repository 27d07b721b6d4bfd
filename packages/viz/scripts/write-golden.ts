// Rewrites the golden image that src/node/golden.test.ts compares against.
// Run after a deliberate change to the pictures, and look at the result first.
import { fileURLToPath } from "node:url";
import { writeFileAtomicSync } from "@curv/tensor";
import { GOLDEN_FILE, GOLDEN_MATRIX, GOLDEN_OPTIONS } from "../src/node/golden/heatmap-4x4.js";
import { heatmapPng } from "../src/node/png.js";

writeFileAtomicSync(fileURLToPath(GOLDEN_FILE), heatmapPng(GOLDEN_MATRIX, GOLDEN_OPTIONS));
console.log(`wrote ${fileURLToPath(GOLDEN_FILE)}`);
