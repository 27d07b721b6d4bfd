#!/usr/bin/env bash
# Installs everything curv needs on a fresh Debian machine that has only Node 20:
# Debian's chromium (its SwiftShader Vulkan driver lets ONNX Runtime's WebGPU
# provider run without a GPU, and the browser tests drive it), then the
# workspace's npm packages with the pinned pnpm.
#
# onnxruntime-node's own install script is NOT run (pnpm runs no dependency
# build scripts unless allowed): it would download CUDA libraries from outside
# the npm registry. GPU users: see README.md, "CUDA".
set -euo pipefail
cd "$(dirname "$0")/.."

# libvulkan1 is the Vulkan loader that ONNX Runtime's WebGPU provider (Dawn) opens.
vulkan_loader=$( (ldconfig -p 2>/dev/null || true) | grep libvulkan.so.1 || true)
if [ ! -x /usr/bin/chromium ] || [ -z "$vulkan_loader" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium and libvulkan1 (WebGPU via SwiftShader, browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libvulkan1 >/dev/null
  else
    echo "setup: chromium or libvulkan1 is missing and this is not a root Debian shell;" >&2
    echo "setup: install chromium yourself for the WebGPU and browser tests (apt-get install chromium libvulkan1)" >&2
  fi
fi

# Fashion-MNIST for apps/singd-fashion-mnist: Debian's dataset-fashion-mnist puts the IDX files
# under /usr/share/datasets/fashion-mnist/.
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's dataset-fashion-mnist (Fashion-MNIST for apps/singd-fashion-mnist)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dataset-fashion-mnist >/dev/null
  else
    echo "setup: /usr/share/datasets/fashion-mnist is missing and this is not a root Debian shell;" >&2
    echo "setup: install it yourself for apps/singd-fashion-mnist (apt-get install dataset-fashion-mnist)" >&2
  fi
fi

npx -y pnpm@10.34.9 install --frozen-lockfile
