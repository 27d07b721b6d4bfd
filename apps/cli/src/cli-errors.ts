import { CurvError } from "@curv/tensor";

/** The command line itself is wrong: an unknown flag, a missing or malformed value. */
export class UsageError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("USAGE", message, options);
  }
}

/** A file named on the command line cannot be read, or lacks what the command needs (an array of the `.npz`). */
export class InputFileError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INPUT_FILE", message, options);
  }
}

/** The curvature kind asked for has no operator in this build of `@curv/operators`. */
export class UnsupportedKindError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("UNSUPPORTED_KIND", message, options);
  }
}
