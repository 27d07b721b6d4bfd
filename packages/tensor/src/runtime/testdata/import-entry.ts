// Run by compile-node.test.ts in a child process: imports the Node entry of
// @curv/tensor and reports whether onnxruntime-node was loaded, before and
// after a first compile on the `ort` runtime.
import { createRequire } from "node:module";

const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("onnxruntime-node"));
const { compile, GraphBuilder } = await import("../../index.js");
const afterImport = loaded();
const b = new GraphBuilder("g");
b.output(b.op("Neg", [b.input("x", "float32", [1])]), "y");
await compile(b.build(), { runtime: "js" });
const afterJsCompile = loaded();
await compile(b.build(), { runtime: "ort" });
console.log(JSON.stringify({ afterImport, afterJsCompile, afterOrtCompile: loaded() }));
