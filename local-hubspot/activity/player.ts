import { UI_USER_HEADER } from "../http/runtime.ts";
import { pick, seededRandom } from "../seed/random.ts";

export type ActivityOptions = {
  /** The server's origin, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  token?: string;
  /** Actions per minute on average (default 30); gaps are random around that. */
  ratePerMinute?: number;
  seed?: number;
  /** Stop after this many actions (default: until `stop()`). */
  maxActions?: number;
  fetch?: typeof fetch;
  onAction?: (action: ActivityAction) => void;
};

export type ActivityAction = {
  kind: "new-contact" | "duplicate-contact" | "edit-contact" | "move-deal" | "new-deal";
  objectId?: string;
  status: number;
  userId: number;
};
export type ActivityPlayer = { stop(): Promise<void>; done: Promise<ActivityAction[]> };

type Deal = { id: string; stage: string };
const FORWARD = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon"];
const FIRST = ["Maya", "Liam", "Noah", "Emma", "Olivia", "Lucas", "Zoë", "Mateo", "Aiko", "Sven"];
const LAST = ["Fischer", "Silva", "Kim", "Brown", "Ivanova", "Okafor", "Larsen", "Moreau"];
const TITLES = ["Head of RevOps", "sales manager", "VP Marketing", "Founder & CEO", "procurement lead"];

/**
 * Plays a realistic stream of CRM activity through the server's API as people in the UI would (their `userId` is the
 * webhooks' `sourceId`): new contacts (some re-entered duplicates), edits, deal stage moves and new deals.
 */
export function playActivity(options: ActivityOptions): ActivityPlayer {
  const random = seededRandom(options.seed ?? 7);
  const doFetch = options.fetch ?? fetch;
  const gapMs = 60_000 / Math.max(0.001, options.ratePerMinute ?? 30);
  const actions: ActivityAction[] = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const call = async (userId: number, method: string, path: string, body?: unknown) => {
    const response = await doFetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? "local-activity"}`,
        "content-type": "application/json",
        [UI_USER_HEADER]: String(userId),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, json };
  };

  const run = async (): Promise<ActivityAction[]> => {
    const owners = ((await call(0, "GET", "/crm/v3/owners?limit=100")).json.results ?? []) as { id: string; userId: number }[];
    const users = owners.length > 0 ? owners : [{ id: "", userId: 9_000_001 }];
    const contacts = (
      ((await call(0, "GET", "/crm/v3/objects/contacts?limit=100&properties=email,firstname,lastname,company")).json.results ?? []) as {
        id: string;
        properties: Record<string, string | null>;
      }[]
    ).map((c) => ({ id: c.id, properties: c.properties }));
    const deals: Deal[] = (
      ((await call(0, "GET", "/crm/v3/objects/deals?limit=100")).json.results ?? []) as { id: string; properties: { dealstage?: string } }[]
    ).map((d) => ({
      id: d.id,
      stage: d.properties.dealstage ?? "appointmentscheduled",
    }));
    while (!stopped && (options.maxActions === undefined || actions.length < options.maxActions)) {
      const user = pick(random, users);
      const action = await step(random, call, user, contacts, deals);
      actions.push(action);
      options.onAction?.(action);
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, gapMs * (0.5 + random()));
      });
    }
    return actions;
  };
  const done = run();
  return {
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await done.catch(() => undefined);
    },
  };
}

type Call = (userId: number, method: string, path: string, body?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
type Contact = { id: string; properties: Record<string, string | null> };

async function step(
  random: () => number,
  call: Call,
  user: { id: string; userId: number },
  contacts: Contact[],
  deals: Deal[],
): Promise<ActivityAction> {
  const roll = random();
  const userId = user.userId;
  if (roll < 0.3 || contacts.length === 0) {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const properties = {
      firstname: first,
      lastname: last,
      email: `${first}.${last}.${Math.floor(random() * 1e6)}@example.org`.toLowerCase(),
      jobtitle: pick(random, TITLES),
    };
    const r = await call(userId, "POST", "/crm/v3/objects/contacts", { properties });
    if (r.status === 201) contacts.push({ id: String(r.json.id), properties });
    return { kind: "new-contact", objectId: String(r.json.id ?? ""), status: r.status, userId };
  }
  if (roll < 0.45) {
    // The same person typed in again by someone else: nickname-ish first name, personal email.
    const original = pick(random, contacts);
    const first = original.properties.firstname ?? "";
    const properties = {
      firstname: first.slice(0, Math.max(3, first.length - 2)),
      lastname: original.properties.lastname ?? "",
      company: original.properties.company ?? "",
      email: `${first}${Math.floor(random() * 1e6)}@gmail.com`.toLowerCase().replace(/[^a-z0-9@.]/g, ""),
    };
    const r = await call(userId, "POST", "/crm/v3/objects/contacts", {
      properties: Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== "")),
    });
    return { kind: "duplicate-contact", objectId: String(r.json.id ?? ""), status: r.status, userId };
  }
  if (roll < 0.7 || deals.length === 0) {
    const contact = pick(random, contacts);
    const edits = [
      { jobtitle: pick(random, TITLES) },
      { phone: `+1 (555) ${Math.floor(random() * 900 + 100)}-${Math.floor(random() * 9000 + 1000)}` },
      { lifecyclestage: pick(random, ["lead", "marketingqualifiedlead", "salesqualifiedlead"]) },
    ];
    const r = await call(userId, "PATCH", `/crm/v3/objects/contacts/${contact.id}`, { properties: pick(random, edits) });
    return { kind: "edit-contact", objectId: contact.id, status: r.status, userId };
  }
  if (roll < 0.93) {
    const deal = pick(random, deals);
    const index = Math.max(0, FORWARD.indexOf(deal.stage));
    // Mostly one step forward; sometimes a skip ahead, a step back or a loss, which stage gates care about.
    const r2 = random();
    const next = r2 < 0.65 ? FORWARD[index + 1] : r2 < 0.8 ? FORWARD[index + 2] : r2 < 0.9 ? FORWARD[index - 1] : "closedlost";
    const stage = next ?? "closedwon";
    const r = await call(userId, "PATCH", `/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: stage } });
    if (r.status === 200) deal.stage = stage;
    return { kind: "move-deal", objectId: deal.id, status: r.status, userId };
  }
  const properties = {
    dealname: `${pick(random, LAST)} Group — New business`,
    pipeline: "default",
    dealstage: "appointmentscheduled",
    ...(user.id ? { hubspot_owner_id: user.id } : {}),
  };
  const r = await call(userId, "POST", "/crm/v3/objects/deals", { properties });
  if (r.status === 201) deals.push({ id: String(r.json.id), stage: "appointmentscheduled" });
  return { kind: "new-deal", objectId: String(r.json.id ?? ""), status: r.status, userId };
}
