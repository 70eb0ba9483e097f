/**
 * The reliability benchmark's portal and script: the same CRM changes, made the same way, for the fault-free run and
 * every run it is compared with. Every change is made by a person in HubSpot's UI before any webhook is delivered, so
 * the CRM state the Worker reads does not depend on when it reads it and two runs can be compared field by field.
 */
import type { RunningLocalHubspot, WebhookEvent } from "../../local-hubspot/index.ts";

export const PORTAL_ID = 880001;
const USER = { kind: "user" as const, userId: 7 };
const REPS = [
  { id: "301", zip: "9", name: "West" },
  { id: "302", zip: "1", name: "East" },
  { id: "303", zip: "6", name: "Central" },
  { id: "304", zip: "", name: "Everyone else" },
];
const ZIPS = ["94110", "10001", "60601", "30301", "98101", "02108", "73301"];

/** Hygiene fixes on, routing by zip to one rep per queue (so who gets a lead never depends on order), gates enforced. */
export function benchSettings() {
  const allDay = ["00:00-24:00"];
  const week = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
  return {
    automations: { hygiene: true, dedupe: false, routing: true, stageGates: true },
    hygiene: { fixPolicy: { contacts: { phone: "auto", country: "auto", firstName: "auto", lastName: "auto" } } },
    routing: {
      reps: REPS.map((r) => ({ ownerId: r.id, name: r.name, timeZone: "UTC", workingHours: week })),
      queues: REPS.map((r) => ({ id: `q${r.id}`, name: r.name, strategy: "round_robin", members: [r.id] })),
      rules: REPS.filter((r) => r.zip).map((r) => ({
        id: `zip${r.zip}`,
        queue: `q${r.id}`,
        conditions: [{ property: "zip", operator: "starts_with", value: [r.zip] }],
      })),
      fallbackQueue: "q304",
      accountMatching: { enabled: false },
      slaMinutes: null,
    },
    stageGates: { pipelines: { default: { mode: "enforce", stages: { appointmentscheduled: { required: ["amount"] } } } } },
  };
}

export type Portal = { contacts: string[]; deals: string[] };

/** Owners, existing contacts and open deals, as a portal has them before the app sees any webhook. */
export function seedPortal(hubspot: RunningLocalHubspot, sizes: { contacts: number; deals: number }): Portal {
  const rt = hubspot.runtime;
  const now = Date.now();
  rt.store.setOwners(
    REPS.map((r, i) => ({
      id: r.id,
      userId: 9300 + i,
      email: `rep${r.id}@bench.example`,
      firstName: r.name,
      lastName: "Rep",
      teams: [],
      archived: false,
      createdAt: now,
      updatedAt: now,
    })),
  );
  return rt.webhooks.suppress(() => {
    const contacts = Array.from({ length: sizes.contacts }, (_, i) => {
      const created = rt.engine.create(
        "contacts",
        {
          email: `known${i}@customer${i % 13}.example`,
          firstname: `Known${i}`,
          lastname: "Customer",
          phone: `+1212555${String(1000 + i).slice(-4)}`,
          country: "United States",
          zip: ZIPS[i % ZIPS.length] ?? "00000",
          lifecyclestage: "other",
        },
        USER,
      );
      if (!created.ok) throw new Error(created.error.message);
      // The portal's existing contacts were made long before the run (a backfill routes only recent creations).
      const record = created.value;
      record.createdAt = now - 30 * 86_400_000;
      record.properties.createdate = new Date(record.createdAt).toISOString();
      return record.id;
    });
    const deals = Array.from({ length: sizes.deals }, (_, i) => {
      const created = rt.engine.create(
        "deals",
        { dealname: `Bench deal ${i}`, pipeline: "default", dealstage: "appointmentscheduled", ...(i % 2 ? { amount: "5000" } : {}) },
        USER,
      );
      if (!created.ok) throw new Error(created.error.message);
      return created.value.id;
    });
    return { contacts, deals };
  });
}

export type Script = { events: WebhookEvent[]; mix: Array<[string, number]> };

/**
 * People at work in the CRM: new messy contacts (some deleted or merged right after, before the app reads them),
 * edits on existing contacts, every deal moved on (half of them without the amount the gate needs), and events for
 * an object the app does not handle. Returns the webhook events HubSpot emitted, in the order it emitted them.
 */
export function playScript(hubspot: RunningLocalHubspot, portal: Portal, scale = 1): Script {
  const rt = hubspot.runtime;
  const from = rt.webhooks.journal.length;
  const newCount = 100 * scale;
  const created: string[] = [];
  for (let i = 0; i < newCount; i++) {
    const r = rt.engine.create(
      "contacts",
      {
        email: `lead${i}@prospect${i % 17}.example`,
        firstname: `lead${i}`,
        lastname: i % 2 ? "SMITH" : "o'brien",
        phone: `(415) 555-${String(2000 + i).slice(-4)}`,
        country: "united states",
        zip: ZIPS[i % ZIPS.length] ?? "00000",
      },
      USER,
    );
    if (r.ok) created.push(r.value.id);
  }
  // Deleted and merged between their creation webhook and the app's read.
  const deleted = created.slice(0, 10 * scale);
  for (const id of deleted) rt.engine.archive("contacts", id, USER);
  const pairs = created.slice(10 * scale, 30 * scale);
  for (let i = 0; i + 1 < pairs.length; i += 2) rt.engine.merge("contacts", pairs[i] as string, pairs[i + 1] as string, USER);
  const edits = { phone: 0, lifecyclestage: 0, jobtitle: 0 };
  portal.contacts.forEach((id, i) => {
    if (i % 3 === 0) {
      rt.engine.update("contacts", id, { phone: `(212) 555-${String(3000 + i).slice(-4)}` }, USER);
      edits.phone++;
    } else if (i % 3 === 1) {
      rt.engine.update("contacts", id, { lifecyclestage: "lead" }, USER);
      edits.lifecyclestage++;
    } else {
      rt.engine.update("contacts", id, { jobtitle: `VP Sales ${i}` }, USER);
      edits.jobtitle++;
    }
  });
  for (const id of portal.deals) rt.engine.update("deals", id, { dealstage: "qualifiedtobuy" }, USER);
  const events = rt.webhooks.journal.slice(from);
  const unsupported = Array.from({ length: 10 * scale }, (_, i): WebhookEvent => {
    const base = events[0] as WebhookEvent;
    return { ...base, eventId: 9_000_000 + i, subscriptionType: "ticket.creation", objectId: 1 + i, occurredAt: base.occurredAt + i };
  });
  return {
    events: [...events, ...unsupported],
    mix: [
      ["contact.creation (messy name, phone, country; zip routes the owner)", newCount],
      ["contact.deletion (right after creation)", deleted.length],
      ["contact.merge (pairs of new contacts, right after creation)", pairs.length / 2],
      ["contact.propertyChange phone (messy: hygiene fixes it)", edits.phone],
      ["contact.propertyChange lifecyclestage=lead (unowned: routed)", edits.lifecyclestage],
      ["contact.propertyChange jobtitle (scored, nothing to write)", edits.jobtitle],
      ["deal.propertyChange dealstage (half miss the gate's amount: reverted, note, task)", portal.deals.length],
      ["ticket.creation (not handled: dead-lettered at intake)", unsupported.length],
    ],
  };
}

/** The event's identity in the Worker's ledger (and its dead letters). */
export const eventKeyOf = (e: { subscriptionType: string; objectId: number | string; eventId: number | string; occurredAt: number }) =>
  `${e.subscriptionType}|${e.objectId}|${e.eventId}|${e.occurredAt}`;
