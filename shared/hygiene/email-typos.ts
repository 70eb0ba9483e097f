/** Misspellings of the biggest mail domains, seen often enough in CRM data to suggest the correction. */
const DOMAIN_TYPOS: Record<string, string> = {
  "gmial.com": "gmail.com",
  "gmai.com": "gmail.com",
  "gamil.com": "gmail.com",
  "gnail.com": "gmail.com",
  "gmail.co": "gmail.com",
  "gmail.con": "gmail.com",
  "gmaill.com": "gmail.com",
  "hotmial.com": "hotmail.com",
  "hotmai.com": "hotmail.com",
  "hotmail.con": "hotmail.com",
  "yahooo.com": "yahoo.com",
  "yaho.com": "yahoo.com",
  "yahoo.con": "yahoo.com",
  "outlok.com": "outlook.com",
  "outlook.con": "outlook.com",
  "iclod.com": "icloud.com",
};

/** The intended domain when `domain` is a known misspelling of a big mail provider ("gmial.com" → "gmail.com"). */
export function typoDomain(domain: string): string | null {
  return DOMAIN_TYPOS[domain] ?? null;
}

/** A corrected address for an invalid one with a well-known typo (`jo@gmial.com`, `jo@acme.con`, `jo@acme,com`); else null. */
export function suggestEmailFix(value: string | null): string | null {
  if (!value) return null;
  const at = value.lastIndexOf("@");
  if (at <= 0) return null;
  const local = value.slice(0, at);
  let domain = value.slice(at + 1).replace(/,/g, ".");
  domain = DOMAIN_TYPOS[domain] ?? domain.replace(/\.(con|cmo|ocm|vom)$/, ".com");
  const fixed = `${local}@${domain}`;
  return fixed !== value && /^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(fixed) ? fixed : null;
}
