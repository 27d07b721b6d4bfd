/** The `progressbar` option of long-running operator methods (`toDense`, and curvature products later). */
export interface ProgressOptions {
  /**
   * Show a progress bar on stderr; default false. It stays off where it would
   * only add noise: when stderr is not a terminal, when `CI` is set in the
   * environment, and in browsers.
   */
  progressbar?: boolean;
}

/** Where a progress bar writes: a terminal stream such as `process.stderr`. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Number of steps to completion. */
  total: number;
  /** What is running, printed before the bar, e.g. `"toDense"`. */
  label: string;
  /** Whether the caller asked for a bar (the user's `progressbar` option). */
  enabled?: boolean;
  /** Defaults to `process.stderr` in Node and to none elsewhere. */
  stream?: ProgressStream;
  /** Defaults to `process.env` in Node; a set `CI` turns the bar off. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A running progress bar. */
export interface ProgressBar {
  /** Whether anything is written at all. */
  readonly active: boolean;
  /** Records `steps` more finished steps (default 1) and redraws. */
  advance(steps?: number): void;
  /** Ends the line; later calls do nothing. */
  finish(): void;
}

const WIDTH = 30;

function nodeStream(): ProgressStream | undefined {
  // `process` does not exist in browsers; reading it through globalThis keeps bundlers from polyfilling it.
  return (globalThis as { process?: { stderr?: ProgressStream } }).process?.stderr;
}

function nodeEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

const inactive: ProgressBar = { active: false, advance() {}, finish() {} };

/**
 * A one-line text progress bar that redraws itself with a carriage return,
 * for terminals only: it is inactive unless `enabled`, the stream is a TTY,
 * and `CI` is unset (CI logs would get one line per redraw).
 *
 * @example
 * ```ts
 * const bar = createProgressBar({ total: 3, label: "toDense", enabled: true });
 * for (let i = 0; i < 3; i++) bar.advance();   // toDense [##########          ] 1/3 ...
 * bar.finish();
 * ```
 */
export function createProgressBar({ total, label, enabled = false, stream = nodeStream(), env = nodeEnv() }: ProgressBarOptions): ProgressBar {
  if (!enabled || stream === undefined || stream.isTTY !== true || env.CI !== undefined) return inactive;
  let done = 0;
  let finished = false;
  const draw = (): void => {
    const filled = total > 0 ? Math.round((WIDTH * done) / total) : WIDTH;
    stream.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(WIDTH - filled)}] ${done}/${total}`);
  };
  draw();
  return {
    active: true,
    advance(steps = 1) {
      if (finished) return;
      done = Math.min(total, done + steps);
      draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      stream.write("\n");
    },
  };
}
