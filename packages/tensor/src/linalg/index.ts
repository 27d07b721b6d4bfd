// Public API of src/linalg: every export is named here.
export {};
