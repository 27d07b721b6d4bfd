import { describe, expect, it } from "vitest";
import { messageOf } from "./message-of.js";

describe("messageOf", () => {
  it("trims a caught error's message and drops a final period", () => {
    expect(messageOf(new Error("Failed to load shared library.\n"))).toBe("Failed to load shared library");
    expect(messageOf(new Error("  no adapter  "))).toBe("no adapter");
    expect(messageOf("thrown text.")).toBe("thrown text");
    expect(messageOf(42)).toBe("42");
    expect(messageOf(new Error("v1.2 failed"))).toBe("v1.2 failed");
  });
});
