/**
 * The message of a caught value, for quoting inside curv's own messages:
 * trimmed, without a final period (ORT's messages end in newlines or periods,
 * and curv adds its own punctuation around them).
 *
 * @example
 * ```ts
 * messageOf(new Error("Failed to load shared library.\n")); // "Failed to load shared library"
 * messageOf("plain text");                                   // "plain text"
 * ```
 */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().replace(/\.$/, "");
}
