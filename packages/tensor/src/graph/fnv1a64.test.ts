import { describe, expect, it } from "vitest";
import { Fnv1a64 } from "./fnv1a64.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("Fnv1a64", () => {
  // Published FNV-1a 64 test vectors (Landon Curt Noll's FNV test suite).
  it.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
    ["chongo was here!\n", "46810940eff5f915"],
  ])("hashes %j to %s", (text, expected) => {
    expect(new Fnv1a64().bytes(ascii(text)).digest()).toBe(expected);
  });

  it("is incremental: feeding in pieces equals feeding at once", () => {
    const whole = new Fnv1a64().bytes(ascii("foobar")).digest();
    expect(new Fnv1a64().bytes(ascii("foo")).bytes(ascii("bar")).digest()).toBe(whole);
  });

  it("separates numbers, strings and typed arrays by value", () => {
    const digest = (feed: (h: Fnv1a64) => void) => {
      const h = new Fnv1a64();
      feed(h);
      return h.digest();
    };
    expect(digest((h) => h.number(1))).not.toBe(digest((h) => h.number(1.5)));
    expect(digest((h) => h.number(0))).not.toBe(digest((h) => h.number(-0)));
    expect(digest((h) => h.string("ab").string("c"))).not.toBe(digest((h) => h.string("a").string("bc")));
    expect(digest((h) => h.view(new Float32Array([1, 2])))).toBe(digest((h) => h.view(new Float32Array([0, 1, 2]).subarray(1))));
    expect(digest((h) => h.view(new Float32Array([1, 2])))).not.toBe(digest((h) => h.view(new Float32Array([2, 1]))));
  });
});
