import { describe, expect, it } from "vitest";
import { notification, ORG, outboundXml } from "../../../test/salesforce-xml.ts";
import { parseOutboundMessage } from "./outbound-message.ts";

describe("parseOutboundMessage", () => {
  it("turns Contact, Lead, Account and Opportunity notifications into events keyed by notification id", () => {
    const xml = outboundXml(
      [
        notification(
          "04l000000000001AAA",
          "Contact",
          "0035g00000AbCdEAAA",
          "<sf:LastModifiedDate>2026-11-23T10:00:00.000Z</sf:LastModifiedDate>",
        ),
        notification("04l000000000002AAA", "Lead", "00Q5g00000AbCdEAAA"),
        notification("04l000000000003AAA", "Account", "0015g00000AbCdEAAA"),
        notification("04l000000000004AAA", "Opportunity", "0065g00000AbCdEAAA", "<sf:StageName>Negotiation</sf:StageName>"),
      ].join(""),
    );
    const parsed = parseOutboundMessage(xml);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.organizationId).toBe(ORG);
    expect(parsed.value.events.map((e) => [e.objectType, e.objectId, e.eventId])).toEqual([
      ["contacts", "0035g00000AbCdEAAA", "04l000000000001AAA"],
      ["contacts", "00Q5g00000AbCdEAAA", "04l000000000002AAA"],
      ["companies", "0015g00000AbCdEAAA", "04l000000000003AAA"],
      ["deals", "0065g00000AbCdEAAA", "04l000000000004AAA"],
    ]);
    expect(parsed.value.events[0]?.occurredAt).toBe(Date.parse("2026-11-23T10:00:00.000Z"));
    expect(parsed.value.events[1]?.occurredAt).toBe(0);
    expect(parsed.value.events[3]).toMatchObject({
      propertyName: "StageName",
      propertyValue: "Negotiation",
      portalKey: `salesforce:${ORG}`,
    });
  });

  it("rejects only the notifications it cannot use, with the reason", () => {
    const parsed = parseOutboundMessage(
      outboundXml(
        notification("04l000000000001AAA", "Case", "5005g00000AbCdEAAA") +
          notification("04l000000000002AAA", "Contact", "0035g00000AbCdEAAA"),
      ),
    );
    expect(parsed.ok && parsed.value.events).toHaveLength(1);
    expect(parsed.ok && parsed.value.rejected[0]?.reason).toBe("sObject type Case is not one the product handles");
  });

  it.each([
    ["not XML", "hello <", "invalid_xml"],
    ["another SOAP body", '<?xml version="1.0"?><Envelope><Body><other/></Body></Envelope>', "not_outbound_message"],
    ["a bad org id", outboundXml("", "not-an-org"), "not_outbound_message"],
    [
      "more than 100 notifications",
      outboundXml(notification("04l000000000001AAA", "Contact", "0035g00000AbCdEAAA").repeat(101)),
      "too_many_notifications",
    ],
  ])("refuses %s", (_name, xml, code) => {
    const parsed = parseOutboundMessage(xml);
    expect(parsed.ok ? null : parsed.error.code).toBe(code);
  });
});
