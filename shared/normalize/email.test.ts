import { describe, expect, it } from "vitest";
import { addDisposableDomains, isDisposableDomain, loadDisposableDomains } from "./disposable.ts";
import { normalizeEmail } from "./email.ts";

describe("normalizeEmail", () => {
  it.each([
    ["  Jo.Doe@ACME.com ", "jo.doe@acme.com", true],
    ["Jo Doe <jo@acme.com>", "jo@acme.com", true],
    ["mailto:jo@acme.com", "jo@acme.com", true],
    ["jo@acme.com.", "jo@acme.com", true],
    ["jo+crm@acme.co.uk", "jo+crm@acme.co.uk", true],
    ["jörg@müller.de", "jörg@xn--mller-kva.de", false],
    ["anna@müller.de", "anna@xn--mller-kva.de", true],
    ["jo@@acme.com", "jo@@acme.com", false],
    ["jo..doe@acme.com", "jo..doe@acme.com", false],
    ["jo@acme", "jo@acme", false],
    ["jo@acme.notarealtld", "jo@acme.notarealtld", false],
    ["jo@-acme.com", "jo@-acme.com", false],
    ["jo", "jo", false],
    ["@acme.com", "@acme.com", false],
  ])("reads %j as %j (valid: %s)", (raw, value, valid) => {
    const info = normalizeEmail(raw);
    expect(info.value).toBe(value);
    expect(info.valid).toBe(valid);
    expect(info.input).toBe(raw);
  });

  it.each([null, "", "   ", "\u200b"])("gives no address for empty input %j", (raw) => {
    expect(normalizeEmail(raw)).toMatchObject({ value: null, local: null, domain: null, valid: false });
  });

  it("splits local part and domain", () => {
    expect(normalizeEmail("Jo.Doe@Sales.Acme.com")).toMatchObject({ local: "jo.doe", domain: "sales.acme.com" });
  });

  it.each([
    ["info@acme.com", true],
    ["Sales@acme.com", true],
    ["no-reply@acme.com", true],
    ["support+eu@acme.com", true],
    ["jo.doe@acme.com", false],
    ["infosec.lead@acme.com", false],
  ])("flags role address %j: %s", (raw, role) => {
    expect(normalizeEmail(raw).role).toBe(role);
  });

  it.each([
    ["jo@gmail.com", true],
    ["jo@GoogleMail.com", true],
    ["jo@web.de", true],
    ["jo@outlook.com", true],
    ["jo@acme.com", false],
  ])("flags free provider %j: %s", (raw, free) => {
    expect(normalizeEmail(raw).freeProvider).toBe(free);
  });

  it.each([
    ["jo@mailinator.com", true],
    ["jo@yopmail.com", true],
    ["jo@acme.com", false],
    ["jo@gmail.com", false],
  ])("flags disposable domain %j: %s (seed list)", (raw, disposable) => {
    expect(normalizeEmail(raw).disposable).toBe(disposable);
  });
});

describe("disposable domains", () => {
  it("knows subdomains of wildcard services", () => {
    expect(isDisposableDomain("anything.33mail.com")).toBe(true);
  });

  it("accepts domains added at the edge", () => {
    expect(isDisposableDomain("throwaway.example")).toBe(false);
    addDisposableDomains(["Throwaway.Example"]);
    expect(isDisposableDomain("throwaway.example")).toBe(true);
  });

  it("loads the full maintained list on demand, seed included", async () => {
    expect(isDisposableDomain("0-180.com")).toBe(false);
    const size = await loadDisposableDomains();
    expect(size).toBeGreaterThan(100_000);
    expect(isDisposableDomain("0-180.com")).toBe(true);
    expect(await loadDisposableDomains()).toBe(size);
  });
});
