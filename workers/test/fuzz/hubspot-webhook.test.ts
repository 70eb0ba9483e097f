import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { signHubspotRequest } from "../../src/auth/hubspot-signature.ts";
import { signedRequest } from "../signed-request.ts";
import { batchElement, batchText, isNamedError, mutatedEvent, prototypePolluted, RUNS, validEvent } from "./arbitraries.ts";
import { deadLetterCount, spyOnEventQueue } from "./queue-spy.ts";

const URL_ = "https://autopilot.test/webhooks/hubspot";
const post = async (body: string) => exports.default.fetch(await signedRequest(URL_, body));

let sent: unknown[];
beforeEach(async () => {
  sent = spyOnEventQueue();
  await env.DB.prepare("DELETE FROM dead_letters").run();
});

/** Posts a signed batch and checks the books balance: every element either enqueued or dead-lettered, once. */
async function postBatchAndBalance(batch: readonly unknown[], text: string): Promise<void> {
  sent.length = 0;
  const before = await deadLetterCount();
  const res = await post(text);
  const body = (await res.json()) as { accepted?: number; deadLettered?: number };
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBeLessThan(500);
  expect(prototypePolluted()).toBe(false);
  const added = (await deadLetterCount()) - before;
  if (res.status === 413) {
    expect(isNamedError(body)).toBe(true);
    expect([sent.length, added]).toEqual([0, 0]);
    return;
  }
  expect(res.status).toBe(200);
  expect((body.accepted ?? -1) + (body.deadLettered ?? -1)).toBe(batch.length);
  expect(sent.length).toBe(body.accepted);
  expect(added).toBe(body.deadLettered);
}

describe("hostile HubSpot webhook bodies (signed, so they reach parsing)", () => {
  it("answers any JSON value that is not an array with 400 not_an_array", async () => {
    const notArray = fc.jsonValue({ maxDepth: 3 }).filter((v) => !Array.isArray(v));
    await fc.assert(
      fc.asyncProperty(notArray, async (value) => {
        const res = await post(JSON.stringify(value));
        expect(res.status).toBe(400);
        const body = await res.json();
        expect(isNamedError(body)).toBe(true);
        expect((body as { error: { code: string } }).error.code).toBe("not_an_array");
        expect(sent).toEqual([]);
      }),
      { numRuns: RUNS.small },
    );
  });

  it("enqueues the good events of a mixed batch and dead-letters each of the others", async () => {
    const batches = fc
      .array(batchElement, { maxLength: 30 })
      .chain((batch) => fc.tuple(fc.constant(batch), fc.array(fc.boolean(), { minLength: batch.length, maxLength: batch.length })));
    await fc.assert(
      fc.asyncProperty(batches, async ([batch, pollute]) => postBatchAndBalance(batch, batchText(batch, pollute))),
      { numRuns: RUNS.batch },
    );
  });

  it("dead-letters every mutated event with a reason that names the event and the field", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedEvent, { minLength: 1, maxLength: 10 }), async (batch) => {
        await postBatchAndBalance(batch, JSON.stringify(batch));
        const rows = await env.DB.prepare("SELECT reason_code, reason FROM dead_letters").all<{ reason_code: string; reason: string }>();
        for (const row of rows.results) {
          expect(row.reason_code).toMatch(/^(invalid_event|unsupported_subscription|wrong_app)$/);
          expect(row.reason).toMatch(/^event \d+: \S/);
        }
      }),
      { numRuns: RUNS.small },
    );
  });

  it("takes full 100-event batches of valid events", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validEvent, { minLength: 100, maxLength: 100 }), async (batch) => {
        await postBatchAndBalance(batch, JSON.stringify(batch));
        expect(sent.length).toBe(100);
      }),
      { numRuns: 5 },
    );
  });

  it("answers bodies that are not UTF-8 or not JSON with a 4xx naming the problem", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        // The Worker verifies the signature over the body it decoded; sign that text so the bytes reach the parser.
        const text = new TextDecoder().decode(bytes);
        const timestamp = Date.now();
        const signature = await signHubspotRequest({
          clientSecret: env.HUBSPOT_CLIENT_SECRET,
          method: "POST",
          url: URL_,
          body: text,
          timestamp,
        });
        const res = await exports.default.fetch(
          new Request(URL_, {
            method: "POST",
            headers: { "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) },
            body: bytes,
          }),
        );
        const body = await res.json();
        expect(res.status).toBeLessThan(500);
        if (res.status !== 200) expect(isNamedError(body)).toBe(true);
      }),
      { numRuns: RUNS.small },
    );
  });

  it("answers 413 to bodies over 1 MB, streamed without a length, and enqueues nothing", async () => {
    for (const size of [1_048_577, 1_500_000]) {
      const text = `[${JSON.stringify("x".repeat(size))}]`;
      const timestamp = Date.now();
      const signature = await signHubspotRequest({
        clientSecret: env.HUBSPOT_CLIENT_SECRET,
        method: "POST",
        url: URL_,
        body: text,
        timestamp,
      });
      const chunks = new TextEncoder().encode(text);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < chunks.length; i += 65_536) controller.enqueue(chunks.slice(i, i + 65_536));
          controller.close();
        },
      });
      const res = await exports.default.fetch(
        new Request(URL_, {
          method: "POST",
          headers: { "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) },
          body: stream,
        }),
      );
      expect(res.status).toBe(413);
      expect(isNamedError(await res.json())).toBe(true);
    }
    expect(sent).toEqual([]);
  });
});

describe("webhook events near Cloudflare Queues' size limits", () => {
  const BYTES = { a: 1, é: 2, "€": 3, "😀": 4 } as const;
  // Each event stays under the 128 KB message limit (the case below covers one that does not).
  const bigChange = fc
    .record({ event: validEvent, char: fc.constantFrom("a", "é", "€", "😀"), bytes: fc.integer({ min: 20_000, max: 120_000 }) })
    .map(({ event, char, bytes }) => ({
      ...event,
      subscriptionType: "contact.propertyChange",
      propertyName: "notes",
      propertyValue: char.repeat(Math.floor(bytes / BYTES[char])),
    }));

  it("packs multi-byte property values into queue batches under 256 KB (bytes, not characters)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bigChange, { minLength: 1, maxLength: 8 }), async (batch) =>
        postBatchAndBalance(batch, JSON.stringify(batch)),
      ),
      { numRuns: 15 },
    );
  });

  it("sends three 100 KB accented values in separate queue batches", async () => {
    const batch = [1, 2, 3].map((objectId) => ({
      eventId: objectId,
      portalId: 62515,
      occurredAt: Date.now(),
      subscriptionType: "contact.propertyChange",
      objectId,
      propertyName: "notes",
      propertyValue: "é".repeat(50_000),
    }));
    await postBatchAndBalance(batch, JSON.stringify(batch));
    expect(sent.length).toBe(3);
  });

  // Found by the fuzz (fixed in webhooks/hubspot-intake.ts): 65,536 "€" is 196 KB, over Queues' 128 KB per message,
  // and sendBatch threw, failing the whole batch with a 500.
  it("dead-letters (or trims) one event whose value is over the queue's 128 KB message limit", async () => {
    const batch = [
      {
        eventId: 1,
        portalId: 62515,
        occurredAt: Date.now(),
        subscriptionType: "contact.propertyChange",
        objectId: 1,
        propertyName: "notes",
        propertyValue: "€".repeat(65_536),
      },
    ];
    await postBatchAndBalance(batch, JSON.stringify(batch));
  });
});
