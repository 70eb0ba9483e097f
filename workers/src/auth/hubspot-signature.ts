import { err, ok, type Result } from "../../../shared/result.ts";
import { base64ToBytes, bytesToBase64 } from "./crypto.ts";

/** Why a request's X-HubSpot-Signature-v3 was refused. */
export type SignatureErrorCode =
  | "missing_client_secret"
  | "missing_signature"
  | "missing_timestamp"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "future_timestamp"
  | "bad_signature";

export type HubspotSignatureInput = {
  /** The app's client secret (`HUBSPOT_CLIENT_SECRET`). */
  clientSecret: string;
  method: string;
  /** The full URL as received: `https://host/path?query`. */
  url: string;
  /** The raw body exactly as received ("" for GET). */
  body: string;
  /** `X-HubSpot-Signature-v3`. */
  signature: string | null | undefined;
  /** `X-HubSpot-Request-Timestamp`, milliseconds since the epoch. */
  timestamp: string | null | undefined;
  now: number;
  /** Oldest (and furthest in the future) a timestamp may be; HubSpot says 5 minutes. */
  maxAgeMs?: number;
};

const DECODED: Readonly<Record<string, string>> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

/** The URI as HubSpot puts it in the v3 signed string: only these twelve escapes are decoded, all others stay. */
export function hubspotSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

const encoder = new TextEncoder();

async function hmacKey(clientSecret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(clientSecret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

function signedString(method: string, url: string, body: string, timestamp: string): Uint8Array {
  return encoder.encode(`${method}${hubspotSignedUri(url)}${body}${timestamp}`);
}

/**
 * Verifies HubSpot's v3 request signature (webhooks and `hubspot.fetch` card requests alike):
 * base64(HMAC-SHA256(client secret, method + uri + body + timestamp)), compared in constant time by WebCrypto,
 * with the timestamp no further than `maxAgeMs` from `now` either way.
 */
export async function verifyHubspotSignature(input: HubspotSignatureInput): Promise<Result<true, SignatureErrorCode>> {
  const { clientSecret, signature, timestamp, now, maxAgeMs = 300_000 } = input;
  if (!clientSecret) return err("missing_client_secret", "HUBSPOT_CLIENT_SECRET is not set, so no signature can be checked");
  if (!signature) return err("missing_signature", "The X-HubSpot-Signature-v3 header is missing");
  if (!timestamp) return err("missing_timestamp", "The X-HubSpot-Request-Timestamp header is missing");
  if (!/^\d{1,16}$/.test(timestamp)) return err("malformed_timestamp", "X-HubSpot-Request-Timestamp is not milliseconds since the epoch");
  const age = now - Number(timestamp);
  if (age > maxAgeMs)
    return err("stale_timestamp", `The request was signed ${Math.round(age / 1000)} s ago; the limit is ${maxAgeMs / 1000} s`);
  if (-age > maxAgeMs) return err("future_timestamp", "The request timestamp is further in the future than the allowed clock skew");
  const given = base64ToBytes(signature.trim());
  const key = await hmacKey(clientSecret, "verify");
  const valid =
    given !== null && (await crypto.subtle.verify("HMAC", key, given, signedString(input.method, input.url, input.body, timestamp)));
  return valid ? ok(true) : err("bad_signature", "The X-HubSpot-Signature-v3 does not match this request");
}

/** Signs a request as HubSpot does (v3); for tests, the local tooling and benchmarks that act as HubSpot. */
export async function signHubspotRequest(args: {
  clientSecret: string;
  method: string;
  url: string;
  body: string;
  timestamp: number;
}): Promise<string> {
  const key = await hmacKey(args.clientSecret, "sign");
  const mac = await crypto.subtle.sign("HMAC", key, signedString(args.method, args.url, args.body, String(args.timestamp)));
  return bytesToBase64(new Uint8Array(mac));
}
