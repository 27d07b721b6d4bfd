// Opening a page script in Debian's Chromium for the ort-web tests: the
// script (and through it @curv/tensor's browser entry and onnxruntime-web's
// browser build) bundled by esbuild, served from 127.0.0.1 on a random port
// next to onnxruntime-web's wasm files, in a fresh Chromium profile.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { build } from "esbuild";
import { chromium, type Page } from "playwright-core";

/** Debian's chromium package. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless, WebGPU on (Chromium then uses SwiftShader where there is no GPU), and nothing that reaches out. */
const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--disable-gpu-sandbox",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
];

const CONTENT_TYPES: Record<string, string> = { ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript" };

async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "silent" });
  return result.outputFiles[0].text;
}

/** Serves the page at `/`, its script at `/page.js` and onnxruntime-web's dist/ folder at `/ort/`. */
async function serve(script: string): Promise<Server> {
  const ortDist = dirname(createRequire(import.meta.url).resolve("onnxruntime-web"));
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = basename(path);
    if (path === "/") {
      response.setHeader("content-type", "text/html");
      response.end('<!doctype html><html><head><script type="module" src="/page.js"></script></head><body></body></html>');
    } else if (path === "/page.js") {
      response.setHeader("content-type", "text/javascript");
      response.end(script);
    } else if (path.startsWith("/ort/") && existsSync(join(ortDist, file))) {
      response.setHeader("content-type", CONTENT_TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream");
      response.end(readFileSync(join(ortDist, file)));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** An open page and how to close it (browser, server and profile). */
export interface OpenPage {
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Bundles `entry`, serves it and opens it in Chromium; resolves once the
 * script has set `document.title` to "ready".
 */
export async function openPage(entry: string): Promise<OpenPage> {
  const server = await serve(await bundle(entry));
  const userDataDir = mkdtempSync(join(tmpdir(), "curv-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: false, args: CHROMIUM_ARGS });
  const close = async (): Promise<void> => {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => document.title === "ready");
    return { page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
