// Generators for the hostile-input suite; imported only by the fuzz tests.
import { env } from "cloudflare:workers";
import fc from "fast-check";

/** Runs per property: the whole fuzz suite must stay well under a minute on a loaded 2-core machine. */
export const RUNS = { batch: 60, small: 40, perRoute: 25 } as const;

/** Keys that would pollute Object.prototype if anything merged untrusted JSON into a plain object. */
export const POLLUTION_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** A well-formed HubSpot webhook event the product handles. */
export const validEvent = fc.record({
  eventId: fc.integer({ min: 1, max: 2_000_000_000 }),
  subscriptionId: fc.integer({ min: 1, max: 1_000_000 }),
  portalId: fc.integer({ min: 1, max: 99_999_999 }),
  appId: fc.constant(Number(env.HUBSPOT_APP_ID)),
  occurredAt: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  subscriptionType: fc.constantFrom("contact.creation", "contact.deletion", "company.creation", "deal.creation", "contact.merge"),
  attemptNumber: fc.integer({ min: 0, max: 9 }),
  objectId: fc.integer({ min: 1, max: 2_000_000_000 }),
  changeSource: fc.constantFrom("CRM_UI", "INTEGRATION", "API"),
  sourceId: fc.constantFrom("userId:7", "424242"),
});

/** Values HubSpot never sends but a broken or hostile sender might: every JSON type, extremes and odd text. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 1.5, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, "", " ", "NaN", "1e400", "-1", "0x10", "١٢٣"),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("x".repeat(70_000), "€".repeat(30_000), "\u0000\uD800\uDFFF\u202E"),
  fc.jsonValue({ maxDepth: 3 }),
);

type RawEvent = Record<string, unknown>;

/** A valid event with one to three fields replaced by hostile values, removed, or shadowed by pollution keys. */
export const mutatedEvent: fc.Arbitrary<RawEvent> = fc
  .tuple(
    validEvent,
    fc.array(
      fc.tuple(
        fc.constantFrom(
          "eventId",
          "portalId",
          "objectId",
          "occurredAt",
          "subscriptionType",
          "propertyName",
          "propertyValue",
          "appId",
          "objectTypeId",
          "mergedObjectIds",
          "sourceId",
        ),
        fc.option(hostileValue, { nil: undefined }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([event, edits]) => {
    const out: RawEvent = { ...event };
    for (const [key, value] of edits) {
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
    return out;
  });

/** One batch element: mostly valid or mutated events, sometimes any JSON value at all. */
export const batchElement: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: validEvent },
  { weight: 4, arbitrary: mutatedEvent },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/**
 * Serialises a batch and, for some elements, puts `__proto__`/`constructor` as own JSON keys (an object literal
 * cannot hold them as own keys, so they are spliced into the text).
 */
export function batchText(batch: readonly unknown[], pollute: readonly boolean[]): string {
  const parts = batch.map((element, i) => {
    const text = JSON.stringify(element) ?? "null";
    if (!pollute[i] || !text.startsWith("{")) return text;
    const spliced = `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}`;
    return text === "{}" ? `${spliced}}` : `${spliced},${text.slice(1)}`;
  });
  return `[${parts.join(",")}]`;
}

/** True when some code merged attacker JSON into Object.prototype. */
export function prototypePolluted(): boolean {
  return ({} as { polluted?: unknown }).polluted !== undefined;
}

/** Error bodies must name the problem: a code and a human message. */
export function isNamedError(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && error.code.length > 0 && typeof error.message === "string" && error.message.length > 0;
}
