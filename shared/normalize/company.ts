import { collapseWhitespace, foldAccents } from "./text.ts";

/** Legal-form words dropped from the end of a name for matching (after dots are removed: "S.A." → "sa"). */
const LEGAL_SUFFIXES = new Set(
  (
    "inc,incorporated,llc,llp,lp,ltd,limited,plc,corp,corporation,co,company,gmbh,mbh,ag,kg,kgaa,ug,ohg,gbr,ev,se,sa,sas,sasu," +
    "sarl,sca,sl,slu,srl,spa,sro,bv,nv,vof,ab,as,asa,aps,oy,oyj,kft,zrt,doo,ooo,zao,oao,pjsc,pty,pte,bhd,sdn,kk,gk,pvt,sac," +
    "ltda,cia,eirl,sociedad,anonima"
  ).split(","),
);

/**
 * Key for matching company names: accents folded, lower-case, "&" as "and", punctuation and trailing legal forms
 * (Inc, LLC, GmbH, Ltd, S.A., B.V., Pty Ltd…) and a leading "the" removed. "The ACME Corp., Inc." → "acme".
 * `null` when nothing is left.
 */
export function companyMatchKey(raw: string | null): string | null {
  if (raw == null) return null;
  const words = foldAccents(raw)
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/\b([a-z])\.(?=[a-z]\.?)/g, "$1")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter((w) => w !== "");
  if (words[0] === "the" && words.length > 1) words.shift();
  let end = words.length;
  // "Group" and "Holdings" are kept: they often name a different entity than the bare brand.
  while (end > 1) {
    const w = words[end - 1] ?? "";
    // "and" goes only between legal forms ("GmbH & Co. KG"), never at the end ("Smith and").
    if (!LEGAL_SUFFIXES.has(w) && !(w === "and" && end < words.length)) break;
    end--;
  }
  const key = words.slice(0, end).join(" ");
  return key === "" ? null : key;
}

/** Display casing of legal forms. */
const SUFFIX_DISPLAY: Record<string, string> = {
  inc: "Inc.",
  llc: "LLC",
  llp: "LLP",
  lp: "LP",
  ltd: "Ltd",
  plc: "PLC",
  corp: "Corp.",
  co: "Co.",
  gmbh: "GmbH",
  ag: "AG",
  kg: "KG",
  se: "SE",
  sa: "S.A.",
  sas: "SAS",
  sarl: "SARL",
  srl: "S.r.l.",
  spa: "S.p.A.",
  bv: "B.V.",
  nv: "N.V.",
  ab: "AB",
  as: "AS",
  oy: "Oy",
  pty: "Pty",
  pte: "Pte",
  kk: "K.K.",
  ug: "UG",
  ev: "e.V.",
  sl: "S.L.",
  ltda: "Ltda",
  bhd: "Bhd",
};
const SMALL_WORDS = new Set(["and", "of", "the", "for", "de", "la", "du", "der", "und", "et", "y", "von", "van"]);

/**
 * Display casing for a company name. A name already in mixed case is a person's choice and kept (only spaces are
 * tidied); an all-upper or all-lower name is title-cased, short all-capital words (IBM, SAP) kept, legal forms in their
 * usual spelling: "ACME HOLDINGS GMBH" → "Acme Holdings GmbH", "acme inc" → "Acme Inc.". `null` when empty.
 */
export function formatCompanyName(raw: string | null): string | null {
  if (raw == null) return null;
  const s = collapseWhitespace(raw);
  if (s === "") return null;
  const upper = s.toUpperCase();
  const lower = s.toLowerCase();
  if (s !== upper && s !== lower) return s;
  const allUpper = s === upper;
  return s
    .split(" ")
    .map((word, i, all) => caseCompanyWord(word, i, all.length, allUpper))
    .join(" ");
}

function caseCompanyWord(word: string, index: number, count: number, allUpper: boolean): string {
  const bare = word.toLowerCase().replace(/[.,]/g, "");
  const trailing = word.endsWith(",") ? "," : "";
  if (index > 0 && SUFFIX_DISPLAY[bare]) return SUFFIX_DISPLAY[bare] + trailing;
  if (index > 0 && index < count - 1 && SMALL_WORDS.has(bare)) return word.toLowerCase();
  // Three letters or fewer in an all-capital name are probably an acronym (IBM, SAP, BMW).
  if (allUpper && /^\p{Lu}{2,3}$/u.test(word)) return word;
  return word.toLowerCase().replace(/(^|[-/(&])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}
