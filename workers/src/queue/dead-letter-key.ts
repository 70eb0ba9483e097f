import type { DeadLetter } from "../../../shared/events/types.ts";

/** Fields that change from one delivery of the same event to the next (HubSpot counts its attempts). */
const DELIVERY_FIELDS = new Set(["attemptNumber"]);

/** JSON with object keys sorted at every level, so the same payload always gives the same text. */
function canonicalJson(value: unknown, top = true): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, false)).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !(top && DELIVERY_FIELDS.has(k)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, false)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Identifies a dead letter across deliveries: portal, source and the payload without its delivery fields, hashed
 * (SHA-256, hex). A redelivered unusable webhook event gets the same key, so it is counted instead of added again.
 */
export async function deadLetterKey(letter: Pick<DeadLetter, "portalKey" | "source" | "payload">): Promise<string> {
  const text = `${letter.portalKey ?? "-"}\n${letter.source}\n${canonicalJson(letter.payload)}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
