import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// WebGPU in Node needs a Vulkan driver; on machines without a GPU, Chromium's
// SwiftShader provides one (see README). Set it for test workers unless the
// user chose a driver already.
const swiftshader = "/usr/lib/chromium/vk_swiftshader_icd.json";
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader)) env.VK_ICD_FILENAMES = swiftshader;

export default defineConfig({
  resolve: { conditions: ["@curv/source"] },
  ssr: { resolve: { conditions: ["@curv/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
    env,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
