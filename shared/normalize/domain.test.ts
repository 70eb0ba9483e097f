import { describe, expect, it } from "vitest";
import { registrableDomain } from "./domain.ts";

describe("registrableDomain", () => {
  it.each([
    ["https://www.Acme.co.uk/about?x=1", "acme.co.uk"],
    ["www.acme.com", "acme.com"],
    ["ACME.COM ", "acme.com"],
    ["acme.com:8080/path", "acme.com"],
    ["http://shop.eu.acme.com", "acme.com"],
    ["jo@sales.acme.com", "acme.com"],
    ["sub.acme.co.jp", "acme.co.jp"],
    ["https://www.münchen.de", "xn--mnchen-3ya.de"],
    ["http://xn--mnchen-3ya.de", "xn--mnchen-3ya.de"],
    ["foo.blogspot.com", "blogspot.com"],
  ])("reads %j as %j", (raw, domain) => {
    expect(registrableDomain(raw)).toBe(domain);
  });

  it.each([null, "", "  ", "acme", "localhost", "192.168.0.1", "not a domain", "acme.notarealtld", "n/a"])("gives null for %j", (raw) => {
    expect(registrableDomain(raw)).toBeNull();
  });
});
