// Layout needs text widths before any renderer has seen the text. These are
// DejaVu Sans advance widths (in em) by character class, the font the PNG
// renderer embeds; browsers that substitute another sans-serif font come out
// within a few percent, which the padding around text absorbs.
const NARROW = new Set([..." .,:;'!|il()[]{}"]);
const WIDE = new Set([..."MWmw%@"]);

/** Estimated width in pixels of `text` set in DejaVu Sans at `fontSize` px. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.34;
    else if (WIDE.has(ch)) em += 0.9;
    else if (ch >= "A" && ch <= "Z") em += 0.7;
    else em += 0.62; // lowercase letters, digits, signs: DejaVu's digits are 0.636 em
  }
  return Math.ceil(em * fontSize);
}
