// Files on disk (Node only): bounded reading and atomic writing. Every export is named here.
export { DEFAULT_MAX_INPUT_BYTES, readInputFile, readInputStream, type ReadInputOptions } from "./read-input-file.js";
export { writeFileAtomic, writeFileAtomicSync, type WriteFileAtomicOptions } from "./write-file-atomic.js";
