// Public API of src/kernels: every export is named here.
export {};
