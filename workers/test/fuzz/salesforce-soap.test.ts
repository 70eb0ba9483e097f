import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { salesforceOutboundSecret } from "../../src/webhooks/salesforce-intake.ts";
import { notification, ORG, outboundXml } from "../salesforce-xml.ts";
import { isNamedError, prototypePolluted, RUNS } from "./arbitraries.ts";
import { deadLetterCount, spyOnEventQueue } from "./queue-spy.ts";

let sent: unknown[];
beforeEach(async () => {
  sent = spyOnEventQueue();
  await env.DB.prepare("DELETE FROM dead_letters").run();
});

async function post(body: string): Promise<Response> {
  const secret = await salesforceOutboundSecret(env.TOKEN_ENCRYPTION_KEY, ORG);
  return exports.default.fetch(`https://autopilot.test/webhooks/salesforce/${ORG}/${secret}`, {
    method: "POST",
    body,
    headers: { "content-type": "text/xml" },
  });
}

/** Posts a body and checks: no 5xx, a 4xx names its problem, a 200 is the SOAP Ack with every notification accounted for. */
async function postAndCheck(body: string): Promise<{ status: number; text: string }> {
  sent.length = 0;
  const before = await deadLetterCount();
  const res = await post(body);
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBeLessThan(500);
  expect(prototypePolluted()).toBe(false);
  if (res.status === 200) {
    expect(text).toContain("<Ack>true</Ack>");
    expect(sent.length + (await deadLetterCount()) - before).toBeLessThanOrEqual(100);
  } else {
    expect(isNamedError(JSON.parse(text)), text).toBe(true);
    expect(sent).toEqual([]);
  }
  return { status: res.status, text };
}

const sfId = (prefix: string) => fc.stringMatching(/^[0-9A-Za-z]{15}$/).map((s) => `${prefix}${s}`.slice(0, 18));
const validNotification = fc
  .tuple(sfId("04l"), fc.constantFrom("Contact", "Lead", "Account", "Opportunity", "Case", ""), sfId("003"))
  .map(([id, type, objectId]) => notification(id, type, objectId));

/** Snippets that break or bend XML: markup, entities, CDATA, DOCTYPEs, pollution-shaped tag names. */
const xmlSnippet = fc.oneof(
  fc.constantFrom(
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&unknown;",
    "<![CDATA[",
    "]]>",
    "<?xml version='1.0'?>",
    '<!DOCTYPE x [<!ENTITY e "boom">]>',
    "&e;",
    "</notifications>",
    "<Notification>",
    "<__proto__><polluted>yes</polluted></__proto__>",
    "<constructor><prototype><polluted>yes</polluted></prototype></constructor>",
    '<sObject xsi:type="sf:__proto__">',
    "<OrganizationId>00D000000000000AAA</OrganizationId>",
    "\uFEFF",
    "\u0000",
  ),
  fc.string({ unit: "binary", maxLength: 20 }),
);

/** A valid envelope with slices deleted, duplicated or replaced by hostile snippets. */
const mutatedEnvelope = fc
  .tuple(
    fc.array(validNotification, { maxLength: 5 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.option(xmlSnippet, { nil: undefined })), { minLength: 1, maxLength: 4 }),
  )
  .map(([notifications, edits]) => {
    let xml = outboundXml(notifications.join(""));
    for (const [at, length, snippet] of edits) {
      const start = at % xml.length;
      const replacement = snippet ?? xml.slice(start, start + length).repeat(2);
      xml = xml.slice(0, start) + replacement + xml.slice(start + (snippet === undefined ? length : Math.min(length, 5)));
    }
    return xml;
  });

// XML 1.0 allows tab, LF, CR and U+0020 upwards, minus lone surrogates and U+FFFE/U+FFFF.
const xmlChar = (ch: string) => {
  const c = ch.codePointAt(0) ?? 0;
  return c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c > 0xffff;
};
const escapeXml = (t: string) =>
  [...t]
    .filter(xmlChar)
    .join("")
    .replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
const oddText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom("", " ", "__proto__", "constructor", "0".repeat(18), "x".repeat(5_000)),
);

/** Well-formed envelopes whose ids, sObject types and fields hold odd text: exercises the mapping, not the XML parser. */
const oddNotification = fc
  .tuple(
    fc.oneof(sfId("04l"), oddText),
    fc.oneof(fc.constantFrom("Contact", "Opportunity"), oddText),
    fc.oneof(sfId("006"), oddText),
    oddText,
    oddText,
  )
  .map(([id, type, objectId, stage, date]) =>
    notification(
      escapeXml(id),
      escapeXml(type),
      escapeXml(objectId),
      `<sf:StageName>${escapeXml(stage)}</sf:StageName><sf:LastModifiedDate>${escapeXml(date)}</sf:LastModifiedDate>`,
    ),
  );

describe("hostile Salesforce outbound messages (right org and secret, so they reach the parser)", () => {
  it("acknowledges well-formed envelopes with odd values, enqueueing or dead-lettering each notification", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(oddNotification, { maxLength: 12 }), async (notifications) => {
        const before = await deadLetterCount();
        const res = await postAndCheck(outboundXml(notifications.join("")));
        expect(res.status).toBe(200);
        expect(sent.length + (await deadLetterCount()) - before).toBe(notifications.length);
      }),
      { numRuns: RUNS.small },
    );
  });

  it("answers mutated envelopes with the Ack or a 4xx naming the problem, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedEnvelope, async (xml) => {
        await postAndCheck(xml);
      }),
      { numRuns: RUNS.batch },
    );
  });

  it("answers arbitrary text with 400", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (text) => {
        const res = await postAndCheck(text);
        expect(res.status).toBe(400);
      }),
      { numRuns: RUNS.small },
    );
  });

  it("refuses more than 100 notifications with 400 too_many_notifications", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 101, max: 3_000 }), async (count) => {
        const one = notification("04l000000000001AAA", "Contact", "0035g00000AbCdEAAA");
        const res = await postAndCheck(outboundXml(one.repeat(count)));
        expect(res.status).toBe(400);
        expect(res.text).toContain('"code":"too_many_notifications"');
      }),
      { numRuns: 5 },
    );
  });

  it("survives deep nesting inside a notification", async () => {
    for (const depth of [1_000, 50_000, 150_000]) {
      const deep = `${"<a>".repeat(depth)}x${"</a>".repeat(depth)}`;
      const xml = outboundXml(`<Notification><Id>04l000000000001AAA</Id><sObject>${deep}</sObject></Notification>`);
      if (new TextEncoder().encode(xml).byteLength > 1_048_576) continue;
      await postAndCheck(xml);
    }
  });
});

describe("XML entity expansion (fast-xml-parser runs with processEntities: true)", () => {
  const lol = (levels: number, fanout: number) => {
    const defs = [`<!ENTITY lol0 "lol">`];
    for (let i = 1; i < levels; i++) defs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(fanout)}">`);
    return `<!DOCTYPE soapenv:Envelope [${defs.join("")}]>`;
  };

  it("cannot be blown up by a billion-laughs DOCTYPE", async () => {
    const xml = outboundXml(notification("04l000000000001AAA", "Opportunity", "0065g00000AbCdEAAA", "<sf:StageName>&lol9;</sf:StageName>"));
    const started = Date.now();
    await postAndCheck(xml.replace("<soapenv:Envelope", `${lol(10, 10)}<soapenv:Envelope`));
    expect(Date.now() - started).toBeLessThan(2_000);
    // Nested entities are not expanded: whatever was enqueued holds no megabytes of "lol".
    expect(JSON.stringify(sent).length).toBeLessThan(10_000);
  });

  it("bounds the expansion of one large entity referenced many times", async () => {
    const big = "A".repeat(9_000);
    const refs = "&big;".repeat(2_000);
    const xml = outboundXml(
      notification("04l000000000001AAA", "Opportunity", "0065g00000AbCdEAAA", `<sf:StageName>${refs}</sf:StageName>`),
    );
    const started = Date.now();
    const res = await postAndCheck(xml.replace("<soapenv:Envelope", `<!DOCTYPE x [<!ENTITY big "${big}">]><soapenv:Envelope`));
    expect(Date.now() - started).toBeLessThan(2_000);
    // 18 MB would come out of full expansion; the parser's 100 KB expansion cap turns it into a 400 instead.
    expect(res.status).toBe(400);
    expect(JSON.stringify(sent).length).toBeLessThan(200_000);
  });

  it("never resolves external entities", async () => {
    const xml = outboundXml(notification("04l000000000001AAA", "Opportunity", "0065g00000AbCdEAAA", "<sf:StageName>&xxe;</sf:StageName>"));
    await postAndCheck(xml.replace("<soapenv:Envelope", `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soapenv:Envelope`));
    expect(JSON.stringify(sent)).not.toContain("root:");
  });
});
