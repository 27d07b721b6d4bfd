/** The memory guard of the representations that store d×d (or per-layer) dense matrices. */
import { ValueError } from "@curv/tensor";

/** Default limit of a dense matrix: 4 GiB of float64 (a 23170 × 23170 matrix). */
export const DEFAULT_MAX_DENSE_BYTES = 4 * 2 ** 30;

function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Throws a ValueError naming the size when an `n × n` float64 matrix exceeds `maxBytes`. */
export function assertDenseFits(who: string, n: number, maxBytes: number, what = "matrix"): void {
  const bytes = n * n * 8;
  if (bytes > maxBytes) {
    throw new ValueError(
      `${who}: the dense ${n} x ${n} float64 ${what} needs ${formatBytes(bytes)}, more than the limit of ${formatBytes(maxBytes)} (maxDenseBytes); ` +
        "use PMatDiag, PMatKFAC, PMatEKFAC, PMatLowRank or PMatImplicit, or raise maxDenseBytes",
    );
  }
}
