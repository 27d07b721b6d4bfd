/**
 * A reader for the tiny subset of Python literals a `.npy` header is written
 * in: `{'descr': '<f4', 'fortran_order': False, 'shape': (8, 7), }`. NumPy
 * writes the header with `repr()` of a dict, so strings, booleans, integers,
 * tuples, lists and dicts are all that can appear (lists and nested tuples
 * only in structured dtypes, which are read so they can be refused by name).
 */
import { NpyFormatError } from "./npy-error.js";

/** A parsed literal: a dict becomes a plain object, a tuple or list an array. */
export type PythonLiteral = string | number | boolean | null | PythonLiteral[] | { [key: string]: PythonLiteral };

/**
 * Parses one Python literal from `text` (surrounding whitespace allowed).
 *
 * @throws {NpyFormatError} naming the position and what was found, for
 * anything outside the subset.
 *
 * @example
 * ```ts
 * parsePythonLiteral("{'shape': (2, 3), 'fortran_order': False}");
 * // { shape: [2, 3], fortran_order: false }
 * ```
 */
export function parsePythonLiteral(text: string): PythonLiteral {
  const reader = new LiteralReader(text);
  const value = reader.value();
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail("unexpected text after the literal");
  return value;
}

/**
 * The deepest nesting of dicts, tuples and lists a header may have: NumPy's
 * own headers nest at most 3 deep (a structured dtype's field list of
 * tuples), and a recursive reader must not overflow the stack on `((((...`.
 */
export const MAX_LITERAL_DEPTH = 32;

class LiteralReader {
  private position = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.position])) this.position++;
  }

  fail(problem: string): never {
    const excerpt = JSON.stringify(this.text.slice(this.position, this.position + 20));
    throw new NpyFormatError(`.npy header: ${problem} at character ${this.position} (${excerpt}) of ${JSON.stringify(this.text.length > 200 ? `${this.text.slice(0, 200)}...` : this.text)}`);
  }

  value(): PythonLiteral {
    this.skipSpace();
    const c = this.text[this.position];
    if (c === "{" || c === "(" || c === "[") return this.nested(c);
    if (c === "'" || c === '"') return this.string();
    if (c !== undefined && /[-+\d]/.test(c)) return this.integer();
    return this.word();
  }

  private nested(open: "{" | "(" | "["): PythonLiteral {
    if (this.depth >= MAX_LITERAL_DEPTH) this.fail(`nesting deeper than ${MAX_LITERAL_DEPTH} levels`);
    this.depth++;
    const value = open === "{" ? this.dict() : open === "(" ? this.sequence("(", ")") : this.sequence("[", "]");
    this.depth--;
    return value;
  }

  private expect(token: string): void {
    this.skipSpace();
    if (!this.text.startsWith(token, this.position)) this.fail(`expected "${token}"`);
    this.position += token.length;
  }

  /** Whether the next token is `token`; consumes it if so. */
  private accept(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private dict(): { [key: string]: PythonLiteral } {
    this.expect("{");
    const entries: { [key: string]: PythonLiteral } = {};
    while (!this.accept("}")) {
      const key = this.value();
      if (typeof key !== "string") this.fail("dict keys must be strings");
      this.expect(":");
      entries[key] = this.value();
      if (!this.accept(",")) {
        this.expect("}");
        break;
      }
    }
    return entries;
  }

  private sequence(open: string, close: string): PythonLiteral[] {
    this.expect(open);
    const items: PythonLiteral[] = [];
    while (!this.accept(close)) {
      items.push(this.value());
      if (!this.accept(",")) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private string(): string {
    const quote = this.text[this.position++];
    const start = this.position;
    // Header strings are dtype codes and field names: no escapes to decode.
    while (!this.atEnd() && this.text[this.position] !== quote) {
      if (this.text[this.position] === "\\") this.fail("escape sequences in strings are not supported");
      this.position++;
    }
    if (this.atEnd()) this.fail("unterminated string");
    return this.text.slice(start, this.position++);
  }

  private integer(): number {
    const match = /^[-+]?\d+L?/.exec(this.text.slice(this.position));
    if (match === null) this.fail("expected an integer");
    this.position += match[0].length;
    // Python 2 wrote long integers with an `L` suffix: `(3L, 4L)`.
    const value = Number(match[0].replace(/L$/, ""));
    if (!Number.isSafeInteger(value)) this.fail(`integer ${match[0]} is too large`);
    return value;
  }

  private word(): boolean | null {
    for (const [word, value] of [["True", true], ["False", false], ["None", null]] as const) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return value;
      }
    }
    return this.fail("expected a string, integer, True, False, None, tuple, list or dict");
  }
}
