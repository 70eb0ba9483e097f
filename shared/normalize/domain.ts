import { parse } from "tldts";

const NON_ASCII_RE = /[^ -~\t\n\r]/;

/** Punycode for internationalised host names ("münchen.de" → "xn--mnchen-3ya.de"); `null` when the host cannot be encoded. */
export function hostToAscii(host: string): string | null {
  if (!NON_ASCII_RE.test(host)) return host.toLowerCase();
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

/**
 * Website, URL, host or email address → its registrable domain (eTLD+1 on the ICANN public-suffix list, lower-case,
 * IDN as punycode): "https://www.Acme.co.uk/about" → "acme.co.uk", "jo@sales.acme.com" → "acme.com".
 * `null` for empty values, IP addresses, bare words and unknown suffixes.
 */
export function registrableDomain(raw: string | null): string | null {
  if (raw == null) return null;
  let s = raw.trim();
  if (s === "") return null;
  const at = s.lastIndexOf("@");
  if (at >= 0 && !s.includes("/")) s = s.slice(at + 1);
  if (NON_ASCII_RE.test(s)) {
    const host = hostOf(s);
    const ascii = host ? hostToAscii(host) : null;
    if (!ascii) return null;
    s = ascii;
  }
  const info = parse(s);
  if (!info.domain || info.isIp || info.isIcann !== true) return null;
  return info.domain.toLowerCase();
}

/** The host part of a URL-ish string, without scheme, credentials, port, path or trailing dot. */
function hostOf(s: string): string | null {
  const noScheme = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const host = noScheme.split(/[/?#]/, 1)[0]?.replace(/^.*@/, "").replace(/:\d+$/, "").replace(/\.$/, "");
  return host ? host : null;
}
