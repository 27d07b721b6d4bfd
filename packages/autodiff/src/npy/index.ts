// NumPy `.npy` / `.npz` files: every export is named here.
export { loadNpy } from "./load-npy.js";
export { NpyFormatError } from "./npy-error.js";
export { DEFAULT_MAX_NPZ_BYTES, loadNpz, npzNames, saveNpz, type LoadNpzOptions, type SaveNpzOptions } from "./npz.js";
export { saveNpy } from "./save-npy.js";
