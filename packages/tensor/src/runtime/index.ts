// Public API of src/runtime: every export is named here.
export {};
