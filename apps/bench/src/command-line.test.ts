import { describe, expect, it } from "vitest";
import { isSelected, parseCommandLine } from "./command-line.js";

describe("parseCommandLine", () => {
  it.each([
    { args: [], expected: { filters: [], jsonPath: undefined, list: false, help: false } },
    { args: ["--", "--filter", "eigh"], expected: { filters: ["eigh"], jsonPath: undefined, list: false, help: false } },
    { args: ["--", "--", "--json", "b.json"], expected: { filters: [], jsonPath: "b.json", list: false, help: false } },
    { args: ["--filter", "a", "--filter", "b", "--json", "out.json"], expected: { filters: ["a", "b"], jsonPath: "out.json", list: false, help: false } },
    { args: ["--filter=matmul", "--list"], expected: { filters: ["matmul"], jsonPath: undefined, list: true, help: false } },
    { args: ["-h"], expected: { filters: [], jsonPath: undefined, list: false, help: true } },
  ])("parses $args", ({ args, expected }) => {
    expect(parseCommandLine(args)).toEqual(expected);
  });

  it.each([
    { args: ["--filtre", "x"], message: /Unknown option '--filtre'/ },
    { args: ["eigh"], message: /positional/ },
    { args: ["--json"], message: /argument missing/ },
    { args: ["--json="], message: /--json needs a file name/ },
  ])("rejects $args", ({ args, message }) => {
    expect(() => parseCommandLine(args)).toThrow(message);
  });
});

describe("isSelected", () => {
  it.each([
    { filters: [], suite: "linalg", name: "eigh n=512", selected: true },
    { filters: ["eigh"], suite: "linalg", name: "eigh n=512", selected: true },
    { filters: ["EIGH"], suite: "linalg", name: "eigh n=512", selected: true },
    { filters: ["linalg/"], suite: "linalg", name: "cholesky n=128", selected: true },
    { filters: ["matmul"], suite: "linalg", name: "eigh n=512", selected: false },
    { filters: ["matmul", "n=512"], suite: "linalg", name: "eigh n=512", selected: true },
    { filters: ["n=12"], suite: "linalg", name: "eigh n=1024", selected: false },
  ])("$filters selects $suite/$name: $selected", ({ filters, suite, name, selected }) => {
    expect(isSelected(filters, suite, name)).toBe(selected);
  });
});
