// Shared numeric checkers for tests of every @curv package: import from "@curv/tensor/test".
export * from "./all-close.js";
