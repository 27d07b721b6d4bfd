import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// WebGPU in Node needs a Vulkan driver; on machines without a GPU, Chromium's
// SwiftShader provides one (see README). Set it for test workers unless the
// user chose a driver already.
const swiftshader = "/usr/lib/chromium/vk_swiftshader_icd.json";
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader)) env.VK_ICD_FILENAMES = swiftshader;
// Vulkan's window-system code complains on stderr when a headless shell has no
// XDG_RUNTIME_DIR; a private temporary one keeps test logs readable.
if (!process.env.XDG_RUNTIME_DIR) env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), "curv-xdg-"));

export default defineConfig({
  resolve: { conditions: ["@curv/source"] },
  ssr: { resolve: { conditions: ["@curv/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "fixtures/src/**/*.test.ts"],
    env,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
