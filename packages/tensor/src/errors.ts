/**
 * Typed errors. Every error curv throws is a {@link CurvError} with a stable
 * `code`, and its message says what was expected and what was given.
 */
export class CurvError extends Error {
  /** A stable machine-readable code, e.g. `"SHAPE_MISMATCH"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A shape does not fit what an operation needs. */
export class ShapeError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SHAPE_MISMATCH", message, options);
  }
}

/** A dtype is not supported by, or does not match, an operation. */
export class DTypeError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("DTYPE_MISMATCH", message, options);
  }
}

/** An argument has a bad value (out of range, NaN, unknown option). */
export class ValueError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("BAD_VALUE", message, options);
  }
}

/** A numerical routine could not finish (a matrix is not positive definite, an iteration did not converge). */
export class LinAlgError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("LINALG", message, options);
  }
}

/** A graph is malformed: dangling inputs, duplicate names, unknown operators, bad attributes. */
export class GraphError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("GRAPH_INVALID", message, options);
  }
}

/** ONNX bytes could not be decoded or encoded (truncated, corrupt, unsupported opset). */
export class OnnxError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ONNX", message, options);
  }
}

/** A runtime or execution provider could not start or run a program. */
export class RuntimeError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("RUNTIME", message, options);
  }
}

/**
 * A file cannot be read or written as asked: missing, a folder, a FIFO or
 * device instead of a regular file, or a write that failed (full disk, no
 * permission). The message names the file.
 */
export class FileAccessError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("FILE_ACCESS", message, options);
  }
}

/**
 * An input is larger than a limit the reader was given: a file's size, an
 * archive's inflated bytes, a header's nesting. The message says the limit
 * and the option that raises it.
 */
export class InputLimitError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INPUT_LIMIT", message, options);
  }
}

/**
 * A request needs more memory than a budget allows, or more entries than
 * one array holds: a dense P x P matrix, Monte-Carlo samples x batch x
 * outputs. Raised before the work starts; the message says what is too
 * large and what fits (`matvec` instead of `toDense`, smaller batches).
 */
export class ResourceLimitError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("RESOURCE_LIMIT", message, options);
  }
}
