// Public API of src/graph.
export * from "./ir.js";
