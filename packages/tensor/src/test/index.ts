// Shared numeric checkers for tests of every @curv package: import from "@curv/tensor/test".
export * from "./all-close.js";
export * from "./finite-difference.js";
export * from "./transpose-identity.js";
