/** Letters NFD does not decompose into a base letter plus marks, folded by hand. */
const SPECIAL_FOLDS: Record<string, string> = {
  ß: "ss",
  ẞ: "SS",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ø: "o",
  Ø: "O",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  þ: "th",
  Þ: "Th",
  ı: "i",
};
const SPECIAL_RE = /[ßẞæÆœŒøØłŁđĐðÐþÞı]/g;
const MARKS_RE = /\p{M}+/gu;
// Nothing to fold in plain ASCII: the common case on the hot path.
const NON_ASCII_RE = /[^ -~\t\n\r]/;

/** Removes accents and folds special Latin letters to ASCII look-alikes: "Müller" → "Muller", "Straße" → "Strasse", "Øster" → "Oster". */
export function foldAccents(s: string): string {
  if (!NON_ASCII_RE.test(s)) return s;
  return s
    .normalize("NFD")
    .replace(MARKS_RE, "")
    .replace(SPECIAL_RE, (ch) => SPECIAL_FOLDS[ch] ?? ch)
    .normalize("NFC");
}

const ZERO_WIDTH_RE = /[\u200b-\u200d\u2060\ufeff]/g;
const SPACES_RE = /[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;

/** Trims and collapses every run of whitespace (including non-breaking and ideographic spaces) to one space; drops zero-width characters. */
export function collapseWhitespace(s: string): string {
  return s.replace(ZERO_WIDTH_RE, "").replace(SPACES_RE, " ").trim();
}

/** `collapseWhitespace` for nullable CRM values: `null` when nothing is left. */
export function cleanText(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = collapseWhitespace(raw);
  return s === "" ? null : s;
}
