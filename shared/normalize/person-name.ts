import { collapseWhitespace } from "./text.ts";

/** Name particles written in lower case inside a name: "van der Berg", "de la Cruz", "von Trapp", "bin Salman". */
const PARTICLES = new Set([
  "van",
  "von",
  "der",
  "den",
  "de",
  "del",
  "della",
  "dei",
  "di",
  "da",
  "das",
  "dos",
  "du",
  "la",
  "le",
  "ten",
  "ter",
  "zu",
  "af",
  "bin",
  "binti",
  "al",
  "y",
]);
const HONORIFICS = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "prof",
  "sir",
  "dame",
  "herr",
  "frau",
  "mme",
  "mlle",
  "m",
  "sr",
  "sra",
  "srta",
]);
const SUFFIXES: Record<string, string> = {
  jr: "Jr.",
  sr: "Sr.",
  ii: "II",
  iii: "III",
  iv: "IV",
  v: "V",
  phd: "PhD",
  md: "MD",
  esq: "Esq.",
  mba: "MBA",
  cpa: "CPA",
};
/** "Mac" names that really are Mac+Capital; "Mac" is not a safe prefix on its own (Macy, Mack, Machado). */
const MAC_NAMES = new Set([
  "macdonald",
  "macleod",
  "mackenzie",
  "macintyre",
  "macmillan",
  "macarthur",
  "macgregor",
  "maclean",
  "macneil",
  "macpherson",
  "mackay",
  "macaulay",
  "macbeth",
  "macdougall",
  "macfarlane",
  "maclachlan",
]);

/**
 * Display casing for a person's name. Mixed-case input is a person's choice and kept ("DeShawn", "McKinley"); all-upper
 * or all-lower input is re-cased: "o'brien" → "O'Brien", "MCDONALD" → "McDonald", "van der berg" → "van der Berg",
 * "DE LA CRUZ" → "de la Cruz", "jean-luc" → "Jean-Luc". `null` when empty.
 */
export function formatPersonName(raw: string | null): string | null {
  if (raw == null) return null;
  const s = collapseWhitespace(raw);
  if (s === "") return null;
  if (s !== s.toUpperCase() && s !== s.toLowerCase()) return s;
  const words = s.split(" ");
  return words.map((w, i) => caseNameWord(w, i, words.length)).join(" ");
}

function caseNameWord(word: string, index: number, count: number): string {
  const lower = word.toLowerCase();
  const bare = lower.replace(/[.,]/g, "");
  if (index > 0 && SUFFIXES[bare]) return SUFFIXES[bare];
  // A particle stays lower case unless it is the whole name ("De" as a surname on its own).
  if (count > 1 && index < count - 1 && PARTICLES.has(lower)) return lower;
  return lower
    .split("-")
    .map((part) => casePart(part))
    .join("-");
}

function casePart(part: string): string {
  if (part === "") return part;
  const apostrophe = /^([dlo])['’](\p{L})(.*)$/u.exec(part);
  if (apostrophe) {
    const [, pre = "", first = "", rest = ""] = apostrophe;
    // O'Brien, D'Angelo, L'Oréal-style names: both letters capitalised.
    return `${pre.toUpperCase()}'${first.toUpperCase()}${rest}`;
  }
  if (/^mc\p{L}{2,}/u.test(part)) return `Mc${(part[2] ?? "").toUpperCase()}${part.slice(3)}`;
  if (MAC_NAMES.has(part)) return `Mac${(part[3] ?? "").toUpperCase()}${part.slice(4)}`;
  return (part[0] ?? "").toUpperCase() + part.slice(1);
}

/**
 * Splits a full name into first and last name: honorifics and suffixes dropped, "Last, First" understood, particles
 * kept with the last name ("Ludwig van Beethoven" → Ludwig / van Beethoven, "María José de la Cruz" → María José /
 * de la Cruz). A single word is a first name. Casing is kept as typed.
 */
export function splitFullName(raw: string): { firstName: string | null; lastName: string | null } {
  const s = collapseWhitespace(raw);
  if (s === "") return { firstName: null, lastName: null };
  const comma = s.indexOf(",");
  if (comma > 0) {
    const before = s.slice(0, comma).trim();
    const after = s.slice(comma + 1).trim();
    const afterWords = after.split(" ").filter((w) => !isSuffix(w));
    // "Smith, John" is last-first; "John Smith, Jr." is a suffix after the comma.
    if (afterWords.length > 0 && before.includes(" ") === false) {
      return { firstName: stripHonorifics(afterWords).join(" ") || null, lastName: before || null };
    }
    return splitFullName(before);
  }
  const words = stripHonorifics(s.split(" ")).filter((w, i, all) => !(i > 0 && i === all.length - 1 && isSuffix(w)));
  const cleaned = words.length > 1 && isSuffix(words[words.length - 1] ?? "") ? words.slice(0, -1) : words;
  if (cleaned.length === 0) return { firstName: null, lastName: null };
  if (cleaned.length === 1) return { firstName: cleaned[0] ?? null, lastName: null };
  let lastStart = cleaned.length - 1;
  for (let i = 1; i < cleaned.length - 1; i++) {
    if (PARTICLES.has((cleaned[i] ?? "").toLowerCase())) {
      lastStart = i;
      break;
    }
  }
  return { firstName: cleaned.slice(0, lastStart).join(" "), lastName: cleaned.slice(lastStart).join(" ") };
}

function isSuffix(word: string): boolean {
  return SUFFIXES[word.toLowerCase().replace(/[.,]/g, "")] !== undefined;
}

function stripHonorifics(words: string[]): string[] {
  let i = 0;
  while (i < words.length - 1 && HONORIFICS.has((words[i] ?? "").toLowerCase().replace(/\.$/, ""))) i++;
  return words.slice(i);
}
