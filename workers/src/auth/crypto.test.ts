import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, importTokenKey, timingSafeEqual } from "./crypto.ts";

describe("importTokenKey", () => {
  const cases = [
    { name: "a missing key", raw: undefined, code: "missing_encryption_key" },
    { name: "an empty key", raw: "", code: "missing_encryption_key" },
    { name: "a key that is not base64", raw: "base64-32-byte-key", code: "malformed_encryption_key" },
    { name: "a 16-byte key", raw: "AAECAwQFBgcICQoLDA0ODw==", code: "malformed_encryption_key" },
  ];
  it.each(cases)("names $name as $code", async ({ raw, code }) => {
    expect(await importTokenKey(raw)).toMatchObject({ ok: false, error: { code } });
  });

  it("accepts base64 of 32 bytes", async () => {
    expect((await importTokenKey(env.TOKEN_ENCRYPTION_KEY)).ok).toBe(true);
  });
});

describe("encryptSecret / decryptSecret", () => {
  const key = async (raw = env.TOKEN_ENCRYPTION_KEY) => {
    const imported = await importTokenKey(raw);
    if (!imported.ok) throw new Error(imported.error.message);
    return imported.value;
  };

  it("round-trips a token and never contains it", async () => {
    const k = await key();
    const sealed = await encryptSecret(k, "pat-na1-secret-token");
    expect(sealed).not.toContain("pat-na1");
    expect(atob(sealed)).not.toContain("pat-na1");
    expect(await decryptSecret(k, sealed)).toEqual({ ok: true, value: "pat-na1-secret-token" });
  });

  it("uses a fresh IV for every value", async () => {
    const k = await key();
    const a = await encryptSecret(k, "same");
    const b = await encryptSecret(k, "same");
    expect(a).not.toBe(b);
    expect(atob(a).slice(0, 12)).not.toBe(atob(b).slice(0, 12));
  });

  it("refuses a tampered value and a value sealed with another key", async () => {
    const k = await key();
    const sealed = atob(await encryptSecret(k, "token"));
    const flipped = btoa(sealed.slice(0, -1) + String.fromCharCode(sealed.charCodeAt(sealed.length - 1) ^ 1));
    expect(await decryptSecret(k, flipped)).toMatchObject({ ok: false, error: { code: "undecryptable_token" } });
    const other = await key(btoa(String.fromCharCode(...new Uint8Array(32).fill(7))));
    expect(await decryptSecret(other, btoa(sealed))).toMatchObject({ ok: false, error: { code: "undecryptable_token" } });
    expect(await decryptSecret(k, "plaintext-token")).toMatchObject({ ok: false, error: { code: "undecryptable_token" } });
  });
});

describe("timingSafeEqual", () => {
  const cases = [
    { a: "secret", b: "secret", equal: true },
    { a: "secret", b: "secreT", equal: false },
    { a: "secret", b: "secret-longer", equal: false },
    { a: "", b: "", equal: true },
    { a: "", b: "x", equal: false },
    { a: "é", b: "e", equal: false },
    { a: new Uint8Array([1, 2, 3]), b: new Uint8Array([1, 2, 3]), equal: true },
    { a: new Uint8Array([1, 2, 3]), b: new Uint8Array([1, 2, 4]), equal: false },
    { a: new Uint8Array([0]), b: new Uint8Array([]), equal: false },
  ];
  it.each(cases)("compares $a with $b as $equal", ({ a, b, equal }) => {
    expect(timingSafeEqual(a, b)).toBe(equal);
  });
});
