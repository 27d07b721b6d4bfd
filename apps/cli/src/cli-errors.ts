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
