// Test support: an in-memory Salesforce org (schema, required fields, validation rules, field history, merge).
// The msw handlers in test-handlers.ts speak Salesforce's wire formats over it. Imported only by tests.
import type { Row } from "./test-soql.ts";

const COMMON = ["Id", "OwnerId", "CreatedDate", "CreatedById", "LastModifiedDate"];
const HISTORY = (parent: string) => ["Id", parent, "Field", "OldValue", "NewValue", "CreatedDate", "CreatedById"];
const PERSON = ["Email", "FirstName", "LastName", "Phone", "MobilePhone", "Title", "LeadSource", "LastActivityDate"];

export const SCHEMA: Record<string, string[]> = {
  Contact: [...COMMON, ...PERSON, "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "AccountId"],
  Lead: [
    ...COMMON,
    ...PERSON,
    "Company",
    "Website",
    "Street",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Industry",
    "NumberOfEmployees",
    "Status",
  ],
  Account: [...COMMON, "Name", "Website", "Phone", "Industry", "NumberOfEmployees", "BillingCity", "BillingState", "BillingCountry"],
  Opportunity: [...COMMON, "Name", "StageName", "Amount", "CloseDate", "AccountId", "Probability", "IsClosed", "IsWon", "Budget__c"],
  User: ["Id", "Email", "FirstName", "LastName", "IsActive", "UserRoleId", "UserType"],
  OpportunityStage: ["Id", "ApiName", "MasterLabel", "SortOrder", "IsClosed", "IsWon", "DefaultProbability", "IsActive"],
  OpportunityHistory: ["Id", "OpportunityId", "StageName", "Amount", "CloseDate", "CreatedDate", "CreatedById"],
  ContactHistory: HISTORY("ContactId"),
  LeadHistory: HISTORY("LeadId"),
  AccountHistory: HISTORY("AccountId"),
  OpportunityFieldHistory: HISTORY("OpportunityId"),
  OpportunityContactRole: ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"],
  Task: ["Id", "OwnerId", "Subject", "Description", "ActivityDate", "Status", "Priority", "WhoId", "WhatId"],
  ContentNote: ["Id", "Title", "Content"],
  ContentDocumentLink: ["Id", "ContentDocumentId", "LinkedEntityId", "ShareType"],
};
const PREFIX: Record<string, string> = {
  Contact: "003",
  Lead: "00Q",
  Account: "001",
  Opportunity: "006",
  User: "005",
  Task: "00T",
  ContentNote: "069",
  ContentDocumentLink: "06A",
  OpportunityContactRole: "00K",
  OpportunityStage: "01J",
  OpportunityHistory: "008",
};
const REQUIRED: Record<string, string[]> = {
  Contact: ["LastName"],
  Lead: ["LastName", "Company"],
  Account: ["Name"],
  Opportunity: ["Name", "StageName", "CloseDate"],
  ContentNote: ["Title"],
  ContentDocumentLink: ["ContentDocumentId", "LinkedEntityId"],
};
/** Fields with history tracking on, per sObject (StageName is always in OpportunityHistory). */
const TRACKED: Record<string, string[]> = {
  Contact: ["Email", "OwnerId", "MailingCountry"],
  Lead: ["Email", "Status", "OwnerId"],
  Account: ["Name", "OwnerId"],
  Opportunity: ["Amount", "OwnerId", "Budget__c"],
};
const HISTORY_OF: Record<string, [string, string]> = {
  Contact: ["ContactHistory", "ContactId"],
  Lead: ["LeadHistory", "LeadId"],
  Account: ["AccountHistory", "AccountId"],
  Opportunity: ["OpportunityFieldHistory", "OpportunityId"],
};
/** Lookup fields whose related record a query can reach (`Account.Name`). */
export const RELATIONSHIPS: Record<string, Record<string, [string, string]>> = {
  Contact: { Account: ["AccountId", "Account"] },
  Opportunity: { Account: ["AccountId", "Account"] },
};
const READ_ONLY = new Set(["Id", "CreatedDate", "CreatedById", "LastModifiedDate", "IsClosed", "IsWon"]);

/** A record-level failure, as Salesforce names it. */
export type OrgError = { statusCode: string; message: string; fields: string[] };
export class OrgFailure extends Error {
  constructor(readonly error: OrgError) {
    super(error.message);
  }
}
const fail = (statusCode: string, message: string, fields: string[] = []): never => {
  throw new OrgFailure({ statusCode, message, fields });
};

export const sfDatetime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

export type ValidationRule = { sObject: string; field: string; message: string; rejects: (record: Row) => boolean };

/** The org: tables by sObject, a clock that advances one second per write, and the integration user. */
export class TestOrg {
  tables = new Map<string, Row[]>();
  deleted = new Set<string>();
  rules: ValidationRule[] = [];
  now = Date.UTC(2026, 0, 5, 9, 0, 0);
  readonly integrationUser: string;
  private counter = 0;

  constructor() {
    this.integrationUser = this.newId("User");
    this.table("User").push({
      Id: this.integrationUser,
      FirstName: "Autopilot",
      LastName: "Integration",
      IsActive: true,
      UserType: "Standard",
    });
  }

  table(sObject: string): Row[] {
    if (!SCHEMA[sObject]) fail("INVALID_TYPE", `sObject type '${sObject}' is not supported.`);
    const rows = this.tables.get(sObject) ?? [];
    this.tables.set(sObject, rows);
    return rows;
  }

  newId(sObject: string): string {
    this.counter += 1;
    return `${PREFIX[sObject] ?? "a00"}${String(this.counter).padStart(12, "0")}AAA`;
  }

  find(id: string): { sObject: string; row: Row } | null {
    for (const [sObject, rows] of this.tables) {
      const row = rows.find((r) => r.Id === id);
      if (row) return { sObject, row };
    }
    return null;
  }

  private check(sObject: string, fields: Row, creating: boolean) {
    for (const name of Object.keys(fields)) {
      if (!SCHEMA[sObject]?.includes(name)) fail("INVALID_FIELD", `No such column '${name}' on sobject of type ${sObject}`, [name]);
      if (READ_ONLY.has(name)) fail("INVALID_FIELD_FOR_INSERT_UPDATE", `Unable to create/update fields: ${name}.`, [name]);
    }
    const missing = (REQUIRED[sObject] ?? []).filter((f) =>
      creating ? fields[f] == null || fields[f] === "" : f in fields && fields[f] == null,
    );
    if (missing.length > 0) fail("REQUIRED_FIELD_MISSING", `Required fields are missing: [${missing.join(", ")}]`, missing);
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "string" && /^(WhoId|WhatId|LinkedEntityId|ContentDocumentId|AccountId)$/.test(name) && !this.find(value)) {
        fail(this.deleted.has(value) ? "ENTITY_IS_DELETED" : "INVALID_CROSS_REFERENCE_KEY", `invalid cross reference id`, [name]);
      }
    }
  }

  private validate(sObject: string, record: Row) {
    const rule = this.rules.find((r) => r.sObject === sObject && r.rejects(record));
    if (rule) fail("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message, [rule.field]);
  }

  insert(sObject: string, fields: Row): string {
    this.check(sObject, fields, true);
    this.now += 1000;
    const at = sfDatetime(this.now);
    const row: Row = { OwnerId: this.integrationUser, ...fields, Id: this.newId(sObject) };
    if (SCHEMA[sObject]?.includes("CreatedDate"))
      Object.assign(row, { CreatedDate: at, CreatedById: this.integrationUser, LastModifiedDate: at });
    if (!SCHEMA[sObject]?.includes("OwnerId")) delete row.OwnerId;
    this.validate(sObject, row);
    this.table(sObject).push(row);
    if (sObject === "Opportunity") this.stageSnapshot(row);
    return String(row.Id);
  }

  update(id: string, fields: Row) {
    const found =
      this.find(id) ??
      fail(this.deleted.has(id) ? "ENTITY_IS_DELETED" : "INVALID_CROSS_REFERENCE_KEY", "entity is deleted or unknown", ["Id"]);
    this.check(found.sObject, fields, false);
    const next = { ...found.row, ...fields };
    this.validate(found.sObject, next);
    this.now += 1000;
    const at = sfDatetime(this.now);
    const history = HISTORY_OF[found.sObject];
    for (const field of TRACKED[found.sObject] ?? []) {
      if (!(field in fields) || found.row[field] === fields[field] || !history) continue;
      const [object, parent] = history;
      const name = field === "OwnerId" ? "Owner" : field;
      const change = {
        [parent]: id,
        Field: name,
        OldValue: found.row[field] ?? null,
        NewValue: fields[field] ?? null,
        CreatedDate: at,
        CreatedById: this.integrationUser,
      };
      this.table(object).push({ Id: this.newId(object), ...change });
    }
    const stageChanged = found.sObject === "Opportunity" && "StageName" in fields && fields.StageName !== found.row.StageName;
    Object.assign(found.row, fields, { LastModifiedDate: at });
    if (stageChanged) this.stageSnapshot(found.row);
  }

  private stageSnapshot(opportunity: Row) {
    this.table("OpportunityHistory").push({
      Id: this.newId("OpportunityHistory"),
      OpportunityId: opportunity.Id,
      StageName: opportunity.StageName,
      Amount: opportunity.Amount ?? null,
      CloseDate: opportunity.CloseDate ?? null,
      CreatedDate: sfDatetime(this.now),
      CreatedById: this.integrationUser,
    });
  }

  /** SOAP merge: the losers are deleted and their contact roles move to the master. */
  merge(type: string, masterId: string, mergedIds: string[]): string[] {
    if (mergedIds.length > 2) fail("LIMIT_EXCEEDED", "Merge requests can merge at most three records");
    for (const id of [masterId, ...mergedIds]) {
      const found = this.find(id);
      if (!found) fail(this.deleted.has(id) ? "ENTITY_IS_DELETED" : "INVALID_CROSS_REFERENCE_KEY", `entity is deleted or unknown: ${id}`);
      else if (found.sObject !== type) fail("INVALID_TYPE", `${id} is not a ${type}`);
    }
    const moved: string[] = [];
    for (const role of this.table("OpportunityContactRole")) {
      if (mergedIds.includes(String(role.ContactId))) {
        role.ContactId = masterId;
        moved.push(String(role.Id));
      }
    }
    this.tables.set(
      type,
      this.table(type).filter((r) => !mergedIds.includes(String(r.Id))),
    );
    for (const id of mergedIds) this.deleted.add(id);
    return moved;
  }

  /** Runs `work` as one transaction: any failure restores every table. */
  transaction<T>(work: () => T): T {
    const before = structuredClone([...this.tables]);
    try {
      return work();
    } catch (e) {
      this.tables = new Map(before);
      throw e;
    }
  }
}
