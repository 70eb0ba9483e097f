/** Shapes every part of the card API shares. Types only. */

export type ObjectType = "contacts" | "companies" | "deals";
/** The automations an admin turns on one by one (as in shared/settings). */
export type AutomationName = "hygiene" | "dedupe" | "routing" | "stageGates";
/** `observe`: the automation is off or the kill switch is on, so it only records what it would do. */
export type AutomationMode = "observe" | "auto";

/** A CRM record or user as the card names it. */
export type Ref = { id: string; name: string };

/**
 * Identity in the query string, which HubSpot signs; the Worker trusts only these, never a body field.
 * Numbers as `context` gives them.
 */
export type IdentityQuery = { portalId: number; userId: number };
export type RecordQuery = IdentityQuery & { objectType: ObjectType; objectId: number };

/** A validation problem, by path into the document (e.g. `dedupe.thresholds.merge`), as shared/settings reports it. */
export type SettingsProblem = { path: string; message: string };

/** Every non-2xx answer; `problems` only for invalid settings (422). */
export type ApiErrorBody = { error: { code: string; message: string; problems?: SettingsProblem[] } };
