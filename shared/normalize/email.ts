import { parse } from "tldts";
import { isDisposableDomain } from "./disposable.ts";
import { hostToAscii } from "./domain.ts";
import { collapseWhitespace } from "./text.ts";

export type EmailInfo = {
  input: string;
  /** Trimmed, lower-cased, IDN domain as punycode; `null` when there is no address at all. */
  value: string | null;
  local: string | null;
  domain: string | null;
  /** Syntax (dot-atom local part, host labels) and a domain on the ICANN public-suffix list. */
  valid: boolean;
  /** A shared mailbox rather than a person: info@, sales@, noreply@… */
  role: boolean;
  disposable: boolean;
  /** A consumer mailbox provider (gmail, yahoo, outlook…): the domain says nothing about the employer. */
  freeProvider: boolean;
};

const ROLE_LOCALS = new Set(
  (
    "info,sales,support,admin,administrator,contact,contacts,hello,hi,office,marketing,billing,accounts,accounting,finance," +
    "noreply,no-reply,donotreply,do-not-reply,team,hr,jobs,careers,recruiting,press,media,help,helpdesk,webmaster,postmaster," +
    "hostmaster,abuse,security,privacy,legal,enquiries,enquiry,inquiries,inquiry,service,customerservice,orders,bookings," +
    "reservations,mail,email,general,reception,invoices,invoice,newsletter,partners,feedback,it,ops,operations,compliance,kontakt,vertrieb"
  ).split(","),
);

const FREE_PROVIDERS = new Set(
  (
    "gmail.com,googlemail.com,yahoo.com,yahoo.co.uk,yahoo.fr,yahoo.de,yahoo.es,yahoo.it,yahoo.co.jp,yahoo.com.br,ymail.com," +
    "rocketmail.com,hotmail.com,hotmail.co.uk,hotmail.fr,hotmail.de,hotmail.it,hotmail.es,outlook.com,outlook.de,outlook.fr," +
    "live.com,live.co.uk,live.fr,live.de,msn.com,aol.com,aim.com,icloud.com,me.com,mac.com,protonmail.com,proton.me,pm.me," +
    "gmx.com,gmx.de,gmx.net,gmx.at,gmx.ch,web.de,t-online.de,freenet.de,mail.com,mail.ru,bk.ru,list.ru,inbox.ru,yandex.ru," +
    "yandex.com,zoho.com,zohomail.com,tutanota.com,tuta.io,fastmail.com,hey.com,qq.com,163.com,126.com,sina.com,naver.com," +
    "daum.net,orange.fr,wanadoo.fr,free.fr,laposte.net,sfr.fr,libero.it,virgilio.it,alice.it,tiscali.it,btinternet.com," +
    "sky.com,virginmedia.com,comcast.net,verizon.net,att.net,sbcglobal.net,bellsouth.net,cox.net,charter.net,shaw.ca," +
    "rogers.com,sympatico.ca,bigpond.com,optusnet.com.au,rediffmail.com,seznam.cz,wp.pl,o2.pl,onet.pl,interia.pl,bol.com.br," +
    "uol.com.br,terra.com.br,hushmail.com,gmx.fr,telenet.be,skynet.be,ziggo.nl,kpnmail.nl,home.nl,xs4all.nl,bluewin.ch"
  ).split(","),
);

// RFC 5322 dot-atom (no quoted local parts: CRMs and mail servers in practice reject them).
const LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
// A display name around the address ("Jo <jo@acme.com>") is common in pasted values.
const WRAPPED_RE = /<([^<>]+)>/;

/** Normalises and classifies an email address. Never throws; garbage comes back with `valid: false`. */
export function normalizeEmail(raw: string | null): EmailInfo {
  const input = raw ?? "";
  let s = collapseWhitespace(input);
  if (s === "") return blank(input);
  const wrapped = WRAPPED_RE.exec(s);
  if (wrapped?.[1]) s = wrapped[1].trim();
  if (s.slice(0, 7).toLowerCase() === "mailto:") s = s.slice(7);
  s = s.replace(/\.+$/, "").replace(/\s+/g, "").toLowerCase();
  const at = s.lastIndexOf("@");
  if (at <= 0 || at === s.length - 1) return { ...blank(input), value: s };
  const local = s.slice(0, at);
  const domain = hostToAscii(s.slice(at + 1));
  if (domain === null) return { ...blank(input), value: s, local };
  const value = `${local}@${domain}`;
  const valid = local.length <= 64 && LOCAL_RE.test(local) && HOST_RE.test(domain) && parse(domain).isIcann === true;
  const plus = local.indexOf("+");
  const baseLocal = plus > 0 ? local.slice(0, plus) : local;
  return {
    input,
    value,
    local,
    domain,
    valid,
    role: ROLE_LOCALS.has(baseLocal),
    disposable: isDisposableDomain(domain),
    freeProvider: FREE_PROVIDERS.has(domain),
  };
}

/** True for consumer mailbox domains (gmail.com, outlook.com, web.de…). */
export function isFreeEmailDomain(domain: string): boolean {
  return FREE_PROVIDERS.has(domain);
}

function blank(input: string): EmailInfo {
  return { input, value: null, local: null, domain: null, valid: false, role: false, disposable: false, freeProvider: false };
}
