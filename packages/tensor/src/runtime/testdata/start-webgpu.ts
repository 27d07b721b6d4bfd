// Run by ort-webgpu.test.ts in a child process (so that it can pick the
// Vulkan driver): tries to compile a graph on ORT's WebGPU provider alone and
// prints what happened as JSON.
import { GraphBuilder } from "../../graph/index.js";
import { compile } from "../compile-node.js";

const b = new GraphBuilder("probe");
const x = b.input("x", "float32", [2]);
b.output(b.op("Neg", [x]), "y");
try {
  const program = await compile(b.build(), { providers: ["webgpu"] });
  console.log(JSON.stringify({ started: true, provider: program.provider }));
} catch (error) {
  console.log(JSON.stringify({ started: false, name: (error as Error).name, message: (error as Error).message }));
}
