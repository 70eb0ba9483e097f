import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { notification, ORG, outboundXml } from "../../test/salesforce-xml.ts";
import { salesforceOutboundSecret } from "./salesforce-intake.ts";

let sent: unknown[];
beforeEach(async () => {
  sent = [];
  vi.spyOn(env.EVENTS, "sendBatch").mockImplementation(async (messages) => {
    for (const m of messages) sent.push(m.body);
    return {} as QueueSendBatchResponse;
  });
  await env.DB.prepare("DELETE FROM dead_letters").run();
});

async function post(body: string, org = ORG, secretFor = ORG): Promise<Response> {
  const secret = await salesforceOutboundSecret(env.TOKEN_ENCRYPTION_KEY, secretFor);
  return exports.default.fetch(`https://autopilot.test/webhooks/salesforce/${org}/${secret}`, {
    method: "POST",
    body,
    headers: { "content-type": "text/xml" },
  });
}

describe("POST /webhooks/salesforce/:orgId/:secret", () => {
  it("enqueues the notifications and answers Salesforce's SOAP Ack", async () => {
    const res = await post(outboundXml(notification("04l000000000001AAA", "Contact", "0035g00000AbCdEAAA")));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/xml");
    expect(await res.text()).toContain("<Ack>true</Ack>");
    expect(sent).toMatchObject([{ portalKey: `salesforce:${ORG}`, objectType: "contacts", eventId: "04l000000000001AAA" }]);
  });

  it("dead-letters only the notifications it cannot use, and still acknowledges", async () => {
    const res = await post(
      outboundXml(
        notification("04l000000000001AAA", "Case", "5005g00000AbCdEAAA") + notification("04l000000000002AAA", "Lead", "00Q5g00000AbCdEAAA"),
      ),
    );
    expect(await res.text()).toContain("<Ack>true</Ack>");
    expect(sent).toHaveLength(1);
    const dead = await env.DB.prepare("SELECT reason_code FROM dead_letters").all();
    expect(dead.results).toEqual([{ reason_code: "invalid_notification" }]);
  });

  it("refuses a wrong secret with 401 and enqueues nothing", async () => {
    const res = await post(outboundXml(notification("04l000000000001AAA", "Contact", "0035g00000AbCdEAAA")), ORG, "00D000000000000AAA");
    expect(res.status).toBe(401);
    expect(sent).toEqual([]);
  });

  it("refuses a message from another org than the URL's", async () => {
    const other = "00D5g000009ZZZZEAA";
    const res = await post(outboundXml(notification("04l000000000001AAA", "Contact", "0035g00000AbCdEAAA"), ORG), other, other);
    expect(res.status).toBe(401);
  });

  it.each([
    ["not XML", "<<<", 400],
    ["a SOAP body that is not an outbound message", "<Envelope><Body><x/></Body></Envelope>", 400],
  ])("answers %s with a 4xx naming the problem", async (_name, body, status) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
  });
});
