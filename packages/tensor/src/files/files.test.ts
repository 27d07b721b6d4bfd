import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { FileAccessError, InputLimitError } from "../errors.js";
import { formatBytes } from "./format-bytes.js";
import { readInputFile, readInputStream } from "./read-input-file.js";
import { writeFileAtomic, writeFileAtomicSync } from "./write-file-atomic.js";

const folder = mkdtempSync(join(tmpdir(), "curv-files-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("readInputFile", () => {
  it("reads a regular file", () => {
    const path = join(folder, "small.bin");
    writeFileSync(path, new Uint8Array([1, 2, 3]));
    expect(Array.from(readInputFile(path))).toEqual([1, 2, 3]);
  });

  it("refuses a file over maxBytes before reading it, naming the limit and the option", () => {
    const path = join(folder, "big.bin");
    writeFileSync(path, new Uint8Array(4096));
    expect(() => readInputFile(path, { maxBytes: 1024 })).toThrow(InputLimitError);
    expect(() => readInputFile(path, { maxBytes: 1024 })).toThrow(/is 4 KiB, over the limit of 1 KiB \(raise it with the maxBytes option\)/);
    expect(readInputFile(path, { maxBytes: 4096 }).length).toBe(4096);
  });

  it.each([
    ["/dev/zero", /is a character device, not a regular file/],
    ["/dev/urandom", /is a character device, not a regular file/],
    [tmpdir(), /is a folder, not a regular file/],
  ])("refuses %s at once (devices and folders never end or are not data)", (path, message) => {
    expect(() => readInputFile(path)).toThrow(FileAccessError);
    expect(() => readInputFile(path)).toThrow(message);
  });

  it("refuses a FIFO without waiting for a writer", () => {
    const fifo = join(folder, "pipe");
    execFileSync("mkfifo", [fifo]);
    expect(() => readInputFile(fifo)).toThrow(/is a FIFO \(named pipe\), not a regular file/);
  });

  it("says when a file is missing", () => {
    expect(() => readInputFile(join(folder, "absent.npy"))).toThrow(/absent.npy: no such file/);
  });
});

describe("readInputStream", () => {
  it("stops an endless stream at maxBytes", async () => {
    const endless = Readable.from((function* () {
      for (;;) yield new Uint8Array(1024);
    })());
    await expect(readInputStream(endless, { maxBytes: 10_000 })).rejects.toThrow(InputLimitError);
  });

  it("reads a finite stream whole", async () => {
    const bytes = await readInputStream(Readable.from([new Uint8Array([1, 2]), new Uint8Array([3])]));
    expect(Array.from(bytes)).toEqual([1, 2, 3]);
  });
});

describe("writeFileAtomic", () => {
  it.each([["async", writeFileAtomic], ["sync", writeFileAtomicSync]] as const)("%s: replaces the file whole and leaves no temporary file", async (_, write) => {
    const path = join(folder, `out-${_}.npy`);
    writeFileSync(path, "old");
    await write(path, new Uint8Array([9, 9, 9]));
    expect(Array.from(readFileSync(path))).toEqual([9, 9, 9]);
    expect(readdirSync(folder).filter((name) => name.includes(".tmp"))).toEqual([]);
  });

  it("a failed write leaves the old file untouched and no temporary file", async () => {
    const readOnly = mkdtempSync(join(folder, "ro-"));
    const path = join(readOnly, "result.npy");
    writeFileSync(path, "the good old result");
    chmodSync(readOnly, 0o555);
    try {
      // root may write anywhere; then fall back to a folder that does not exist.
      const target = process.getuid?.() === 0 ? join(readOnly, "missing", "result.npy") : path;
      await expect(writeFileAtomic(target, "new")).rejects.toThrow(FileAccessError);
      expect(() => writeFileAtomicSync(target, "new")).toThrow(/cannot write/);
      expect(readFileSync(path, "utf8")).toBe("the good old result");
      expect(readdirSync(readOnly)).toEqual(["result.npy"]);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it("an aborted signal leaves the target as it was", async () => {
    const path = join(folder, "aborted.npy");
    writeFileSync(path, "old");
    const controller = new AbortController();
    controller.abort();
    await expect(writeFileAtomic(path, "new", { signal: controller.signal })).rejects.toThrow();
    expect(readFileSync(path, "utf8")).toBe("old");
    expect(readdirSync(folder).filter((name) => name.includes(".tmp"))).toEqual([]);
  });
});

describe("formatBytes", () => {
  it.each([[0, "0 bytes"], [1023, "1023 bytes"], [1024, "1 KiB"], [6.2 * 2 ** 30, "6.2 GiB"]])("%d is %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
