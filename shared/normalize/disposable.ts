import wildcards from "disposable-email-domains/wildcard.json" with { type: "json" };

/**
 * Disposable-mail domains. The maintained list (disposable-email-domains, ~120k domains, 2.4 MB of JSON) is not
 * bundled by default: a Worker that imports it pays for it on every cold start. A small seed of the most common
 * services is always present; `loadDisposableDomains()` adds the full list (the CLI and bench call it at start-up).
 */
const SEED = [
  "mailinator.com",
  "guerrillamail.com",
  "guerrillamail.net",
  "sharklasers.com",
  "10minutemail.com",
  "yopmail.com",
  "yopmail.fr",
  "temp-mail.org",
  "trashmail.com",
  "getnada.com",
  "dispostable.com",
  "maildrop.cc",
  "throwawaymail.com",
  "fakeinbox.com",
  "mailnesia.com",
  "mintemail.com",
  "mohmal.com",
  "spamgourmet.com",
];

const exact = new Set<string>(SEED);
// The wildcard list names parents whose every subdomain is disposable too (e.g. "x.33mail.com").
const parents = new Set<string>(wildcards as string[]);
let fullListLoaded = false;

/** True when the (lower-case, ASCII) domain or one of its parent domains is a known disposable-mail service. */
export function isDisposableDomain(domain: string): boolean {
  if (exact.has(domain) || parents.has(domain)) return true;
  let dot = domain.indexOf(".");
  while (dot >= 0) {
    const parent = domain.slice(dot + 1);
    if (parents.has(parent) || exact.has(parent)) return true;
    dot = domain.indexOf(".", dot + 1);
  }
  return false;
}

/** Adds domains to the disposable set (e.g. a list an edge keeps in KV). */
export function addDisposableDomains(domains: Iterable<string>): void {
  for (const d of domains) exact.add(d.toLowerCase());
}

/** Loads the full maintained list once; later calls are free. Resolves to the number of known domains. */
export async function loadDisposableDomains(): Promise<number> {
  if (!fullListLoaded) {
    const mod = (await import("disposable-email-domains/index.json", { with: { type: "json" } })) as { default: string[] };
    addDisposableDomains(mod.default);
    fullListLoaded = true;
  }
  return exact.size;
}
