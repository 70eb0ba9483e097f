import { err, ok, type Result } from "../../../shared/result.ts";

/** Why a token could not be encrypted or decrypted; the key problems name the env variable to fix. */
export type TokenCryptoErrorCode = "missing_encryption_key" | "malformed_encryption_key" | "undecryptable_token";

const IV_BYTES = 12;
const KEY_BYTES = 32;
const encoder = new TextEncoder();

/** Standard base64 of bytes (btoa over a binary string: the only base64 every runtime here has). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Bytes of a standard base64 string, or null when it is not base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/**
 * Imports `TOKEN_ENCRYPTION_KEY` (base64 of 32 bytes) as an AES-256-GCM key; a missing or malformed key is a named
 * error rather than a thrown exception, so the install flow can say what to configure.
 */
export async function importTokenKey(rawKey: string | undefined): Promise<Result<CryptoKey, TokenCryptoErrorCode>> {
  if (!rawKey) return err("missing_encryption_key", "TOKEN_ENCRYPTION_KEY is not set: set it to base64 of 32 random bytes");
  const bytes = base64ToBytes(rawKey.trim());
  if (!bytes || bytes.length !== KEY_BYTES) {
    return err("malformed_encryption_key", "TOKEN_ENCRYPTION_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32)");
  }
  const key = await crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  return ok(key);
}

/** Encrypts a secret for storage: base64(12-byte random IV ‖ AES-GCM ciphertext and tag). */
export async function encryptSecret(key: CryptoKey, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(plaintext)));
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv, 0);
  out.set(sealed, IV_BYTES);
  return bytesToBase64(out);
}

/** Decrypts what `encryptSecret` produced; a wrong key or a tampered value is `undecryptable_token`. */
export async function decryptSecret(key: CryptoKey, stored: string): Promise<Result<string, TokenCryptoErrorCode>> {
  const bytes = base64ToBytes(stored);
  if (!bytes || bytes.length <= IV_BYTES) return err("undecryptable_token", "The stored token is not an encrypted value");
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES) }, key, bytes.subarray(IV_BYTES));
    return ok(new TextDecoder().decode(plain));
  } catch {
    return err("undecryptable_token", "The stored token does not decrypt with TOKEN_ENCRYPTION_KEY (key rotated or value tampered)");
  }
}

/**
 * Compares two secrets without an early exit, so timing does not reveal how many leading bytes matched; it runs over
 * the longer input, so a length difference is folded in too. Strings are compared as UTF-8 bytes.
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === "string" ? encoder.encode(a) : a;
  const y = typeof b === "string" ? encoder.encode(b) : b;
  const n = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
