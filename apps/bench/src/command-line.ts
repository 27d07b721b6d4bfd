import { parseArgs } from "node:util";

/** What `pnpm bench -- ...` asked for. */
export interface BenchCommand {
  /** Run only cases whose `suite/case` name contains one of these (case-insensitive); empty: all. */
  filters: string[];
  /** Also write the results as JSON here. */
  jsonPath?: string;
  /** List suites and cases instead of running them. */
  list: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [-- [--filter SUBSTRING]... [--json FILE] [--list] [--help]]

  --filter SUBSTRING  run only cases whose "suite/case" name contains SUBSTRING
                      (case-insensitive; repeat to allow several)
  --json FILE         also write the results as JSON to FILE
  --list              list the suites and their cases without running them
  --help              show this text`;

/**
 * Parses the command line (without `node` and the script). Unknown flags and
 * stray positionals are errors, so a typo does not silently run everything.
 *
 * @example
 * ```ts
 * parseCommandLine(["--filter", "eigh", "--json", "out.json"]);
 * // { filters: ["eigh"], jsonPath: "out.json", list: false, help: false }
 * ```
 */
export function parseCommandLine(args: readonly string[]): BenchCommand {
  // pnpm forwards a literal "--" when called as `pnpm bench -- --flag`, and the
  // root script adds one of its own: skip every leading "--".
  let skipped = 0;
  while (args[skipped] === "--") skipped++;
  const rest = args.slice(skipped);
  const { values } = parseArgs({
    args: [...rest],
    options: {
      filter: { type: "string", multiple: true },
      json: { type: "string" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.json === "") throw new Error("--json needs a file name");
  return { filters: values.filter ?? [], jsonPath: values.json, list: values.list ?? false, help: values.help ?? false };
}

/** Whether `suite/case` is selected by `filters` (all are, when there are none). */
export function isSelected(filters: readonly string[], suite: string, caseName: string): boolean {
  if (filters.length === 0) return true;
  const fullName = `${suite}/${caseName}`.toLowerCase();
  return filters.some((f) => fullName.includes(f.toLowerCase()));
}
