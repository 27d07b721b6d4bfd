/**
 * What to tell a user whose provider did not start: the reason ORT gave,
 * followed by how to make the provider available.
 */

/**
 * How to get onnxruntime-node's CUDA provider. onnxruntime-node 1.30 ships
 * its CPU and WebGPU providers but downloads the CUDA ones (from NuGet) only
 * when its install script is told to, by the `ONNXRUNTIME_NODE_INSTALL`
 * variable or the `--onnxruntime-node-install=cuda12` flag
 * (node_modules/onnxruntime-node/script/install.js).
 */
export const CUDA_INSTALL_HELP =
  "onnxruntime-node ships without its CUDA provider libraries. Download them by rerunning its install script with " +
  "`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (or `npm install onnxruntime-node --onnxruntime-node-install=cuda12`; " +
  "with pnpm 10, first allow the script with `pnpm approve-builds` or `onlyBuiltDependencies`, then " +
  "`ONNXRUNTIME_NODE_INSTALL=cuda12 pnpm rebuild onnxruntime-node`). The CUDA provider also needs CUDA 12 and cuDNN 9 on the library path.";

/** The SwiftShader Vulkan driver that Debian's chromium package installs. */
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** How to get a WebGPU adapter in Node (Dawn on Vulkan, on Linux). */
export function webGpuNodeHelp(vulkanDriver: string | undefined): string {
  const current = vulkanDriver === undefined ? "VK_ICD_FILENAMES is not set" : `VK_ICD_FILENAMES is "${vulkanDriver}"`;
  return (
    `WebGPU in Node needs a Vulkan driver (${current}). On a machine without a GPU, use the SwiftShader driver that ` +
    `Chromium ships: \`apt-get install chromium\`, then set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} before starting Node ` +
    "(slow, but enough to check results against the CPU provider)."
  );
}

/** How to get WebGPU in a browser. */
export const WEBGPU_BROWSER_HELP =
  "This browser offers no WebGPU adapter (navigator.gpu is missing or gave none). Chromium 113+ has WebGPU; on Linux and " +
  "in headless mode start it with --enable-unsafe-webgpu (Chromium then falls back to its SwiftShader adapter where no GPU exists).";
