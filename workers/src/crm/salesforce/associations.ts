import type { Connection } from "jsforce/core";
import type { AssociatedRecord } from "../../../../shared/crm-port.ts";
import type { ObjectType } from "../../../../shared/domain/types.ts";
import { queryAll } from "./rest.ts";
import { chunks, inList, isSalesforceId } from "./soql.ts";

type Row = Record<string, unknown>;
type Link = { soql: (ids: readonly string[]) => string; from: string; to: string; labels: (row: Row) => string[] };

/** A lookup field (Contact.AccountId, Opportunity.AccountId) is the record's one, primary, link. */
const primary = () => ["Primary"];
/** Contact roles on an opportunity: the role picklist value, and Primary for the primary contact. */
const roleLabels = (row: Row) => [
  ...(typeof row.Role === "string" && row.Role ? [row.Role] : []),
  ...(row.IsPrimary === true ? ["Primary"] : []),
];
const ROLES = "SELECT OpportunityId, ContactId, Role, IsPrimary FROM OpportunityContactRole";

/** How each pair of object types is linked in Salesforce. Leads have none: they link to nothing until converted. */
const LINKS: Partial<Record<`${ObjectType}>${ObjectType}`, Link>> = {
  "contacts>companies": {
    soql: (ids) => `SELECT Id, AccountId FROM Contact WHERE Id IN ${inList(ids)}`,
    from: "Id",
    to: "AccountId",
    labels: primary,
  },
  "companies>contacts": {
    soql: (ids) => `SELECT Id, AccountId FROM Contact WHERE AccountId IN ${inList(ids)}`,
    from: "AccountId",
    to: "Id",
    labels: primary,
  },
  "deals>companies": {
    soql: (ids) => `SELECT Id, AccountId FROM Opportunity WHERE Id IN ${inList(ids)}`,
    from: "Id",
    to: "AccountId",
    labels: primary,
  },
  "companies>deals": {
    soql: (ids) => `SELECT Id, AccountId FROM Opportunity WHERE AccountId IN ${inList(ids)}`,
    from: "AccountId",
    to: "Id",
    labels: primary,
  },
  "deals>contacts": {
    soql: (ids) => `${ROLES} WHERE OpportunityId IN ${inList(ids)}`,
    from: "OpportunityId",
    to: "ContactId",
    labels: roleLabels,
  },
  "contacts>deals": {
    soql: (ids) => `${ROLES} WHERE ContactId IN ${inList(ids)}`,
    from: "ContactId",
    to: "OpportunityId",
    labels: roleLabels,
  },
};

/** Each id's linked records of `toType`; every valid id is in the map, with an empty list when it has none. */
export async function readLinks(conn: Connection, fromType: ObjectType, toType: ObjectType, ids: readonly string[]) {
  const out = new Map<string, AssociatedRecord[]>();
  const valid = [...new Set(ids.filter(isSalesforceId))];
  for (const id of valid) out.set(id, []);
  const link = LINKS[`${fromType}>${toType}`];
  if (!link) return out;
  const queried = fromType === "contacts" ? valid.filter((id) => !id.startsWith("00Q")) : valid;
  for (const batch of chunks(queried, 200)) {
    for (const row of await queryAll<Row>(conn, link.soql(batch))) {
      const from = row[link.from];
      const to = row[link.to];
      if (typeof from !== "string" || typeof to !== "string") continue;
      const list = out.get(from) ?? [];
      const existing = list.find((a) => a.id === to);
      if (existing) existing.labels = [...new Set([...existing.labels, ...link.labels(row)])];
      else list.push({ id: to, labels: link.labels(row) });
      out.set(from, list);
    }
  }
  return out;
}
