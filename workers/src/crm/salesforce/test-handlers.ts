// Test support: msw handlers for the Salesforce endpoints the adapter calls, in Salesforce's documented shapes
// (REST query + queryMore, sObject create, sObject Collections update, composite, SOAP merge, error arrays and
// SOAP faults), backed by a TestOrg. Imported only by tests.
import { XMLParser } from "fast-xml-parser";
import { HttpResponse, http } from "msw";
import { OrgFailure, RELATIONSHIPS, SCHEMA, TestOrg } from "./test-org.ts";
import { parseSoql, type Row, runSoql, SoqlError } from "./test-soql.ts";

export const TEST_INSTANCE_URL = "https://acme.my.salesforce.test";
export const TEST_ACCESS_TOKEN = "00Dacme!session";

export type FakeSalesforceOptions = { version?: string; pageSize?: number; dailyLimit?: number };
/** A canned answer for the next matching request: a Salesforce error, an outage or a stall. */
export type Fault = { path?: RegExp; respond: () => Response | Promise<Response> };

const restError = (status: number, errorCode: string, message: string, fields?: string[]) =>
  HttpResponse.json([{ message, errorCode, ...(fields ? { fields } : {}) }], { status });

/** Salesforce's REST error answers, for `Fault`s. */
export const faults = {
  requestLimit: (): Response => restError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
  insufficientAccess: (): Response =>
    restError(403, "INSUFFICIENT_ACCESS", "The requested resource does not exist or you do not have access to it"),
  sessionExpired: (): Response => restError(401, "INVALID_SESSION_ID", "Session expired or invalid"),
  unavailable: (): Response =>
    new HttpResponse("<html><body>Service Unavailable</body></html>", { status: 503, headers: { "content-type": "text/html" } }),
  unknownException: (): Response =>
    restError(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId: 123-456"),
  soapFault: (code: string, message: string): Response =>
    new HttpResponse(
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${code}: ${message}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
      { status: 500, headers: { "content-type": "text/xml;charset=UTF-8" } },
    ),
  stall: (): Promise<Response> => new Promise(() => {}),
};

/** The org, its handlers, the requests they saw, and faults to serve before the org answers. */
export function fakeSalesforce(options: FakeSalesforceOptions = {}) {
  const org = new TestOrg();
  const version = options.version ?? "62.0";
  const base = `${TEST_INSTANCE_URL}/services/data/v${version}`;
  const pending: Fault[] = [];
  const requests: Array<{ method: string; path: string; body: string }> = [];
  const cursors = new Map<string, Row[]>();
  let used = 0;

  /** Every call: log, count, check the session, serve a queued fault, else answer; with Sforce-Limit-Info. */
  async function serve(request: Incoming, answer: (body: string) => Response | Promise<Response>): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === "GET" ? "" : await request.text();
    requests.push({ method: request.method, path: url.pathname + url.search, body });
    used += 1;
    const faultIndex = pending.findIndex((f) => !f.path || f.path.test(url.pathname));
    let response: Response;
    if (faultIndex >= 0) response = await (pending.splice(faultIndex, 1)[0] as Fault).respond();
    else if (!authorised(request, body))
      response = isSoap(url)
        ? faults.soapFault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session")
        : faults.sessionExpired();
    else response = await answer(body);
    response.headers.set("Sforce-Limit-Info", `api-usage=${used}/${options.dailyLimit ?? 15000}`);
    return response;
  }

  const pageOf = (rows: Row[]) => {
    const size = options.pageSize ?? 2000;
    const records = rows.slice(0, size);
    let nextRecordsUrl: string | undefined;
    if (rows.length > size) {
      const locator = `01gFAKE${cursors.size}-${size}`;
      cursors.set(locator, rows.slice(size));
      nextRecordsUrl = `/services/data/v${version}/query/${locator}`;
    }
    return { totalSize: rows.length, done: !nextRecordsUrl, records, ...(nextRecordsUrl ? { nextRecordsUrl } : {}) };
  };

  const handlers = [
    http.get(`${base}/query`, ({ request }) =>
      serve(request, () => {
        try {
          return HttpResponse.json(pageOf(query(org, new URL(request.url).searchParams.get("q") ?? "")));
        } catch (e) {
          return answerFailure(e);
        }
      }),
    ),
    http.get(`${base}/query/:locator`, ({ request, params }) =>
      serve(request, () => {
        const rest = cursors.get(String(params.locator));
        if (!rest) return restError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        cursors.delete(String(params.locator));
        return HttpResponse.json(pageOf(rest));
      }),
    ),
    http.post(`${base}/sobjects/:type`, ({ request, params }) =>
      serve(request, (body) => {
        try {
          const id = org.transaction(() => org.insert(String(params.type), JSON.parse(body) as Row));
          return HttpResponse.json({ id, success: true, errors: [] }, { status: 201 });
        } catch (e) {
          return answerFailure(e);
        }
      }),
    ),
    http.patch(`${base}/composite/sobjects`, ({ request }) => serve(request, (body) => HttpResponse.json(collectionsUpdate(org, body)))),
    http.post(`${base}/composite`, ({ request }) => serve(request, (body) => HttpResponse.json(composite(org, body, version)))),
    http.post(`${TEST_INSTANCE_URL}/services/Soap/u/${version}`, ({ request }) => serve(request, (body) => soapMerge(org, body))),
  ];

  return {
    org,
    handlers,
    requests,
    /** Serves `respond()` to the next request whose path matches (any request without `path`). */
    failNext(fault: Fault | (() => Response | Promise<Response>)) {
      pending.push(typeof fault === "function" ? { respond: fault } : fault);
    },
    /** API calls counted so far, as Sforce-Limit-Info reports them. */
    get apiCalls() {
      return used;
    },
  };
}

/** What the handlers read of an intercepted request (msw's request type differs from workerd's). */
type Incoming = { url: string; method: string; headers: Headers; text(): Promise<string> };

const isSoap = (url: URL) => url.pathname.startsWith("/services/Soap/");
const xml = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === "recordToMergeIds" });

function authorised(request: Incoming, body: string): boolean {
  if (isSoap(new URL(request.url))) {
    const doc = xml.parse(body) as { Envelope?: { Header?: { SessionHeader?: { sessionId?: string } } } };
    return doc.Envelope?.Header?.SessionHeader?.sessionId === TEST_ACCESS_TOKEN;
  }
  return request.headers.get("authorization") === `Bearer ${TEST_ACCESS_TOKEN}`;
}

function answerFailure(e: unknown): Response {
  if (e instanceof OrgFailure) return restError(400, e.error.statusCode, e.error.message, e.error.fields);
  if (e instanceof SoqlError) return restError(400, "MALFORMED_QUERY", e.message);
  throw e;
}

/** Evaluates SOQL over the org: unknown columns are INVALID_FIELD, relationship paths become nested records. */
function query(org: TestOrg, soql: string): Row[] {
  const q = parseSoql(soql);
  const schema = SCHEMA[q.from] ?? [];
  const relations = RELATIONSHIPS[q.from] ?? {};
  for (const field of [...q.fields, ...q.whereFields, ...q.orderBy.map((o) => o.field)]) {
    const [head = "", tail] = field.split(".");
    const ok = tail ? Boolean(relations[head] && SCHEMA[relations[head][1]]?.includes(tail)) : schema.includes(field);
    if (!ok)
      throw new OrgFailure({ statusCode: "INVALID_FIELD", message: `No such column '${field}' on entity '${q.from}'.`, fields: [field] });
  }
  return runSoql(q, org.table(q.from)).map((row) => {
    const out: Row = { attributes: { type: q.from, url: `/services/data/v62.0/sobjects/${q.from}/${row.Id}` } };
    for (const field of q.fields) {
      const [head = "", tail] = field.split(".");
      if (!tail) out[field] = row[field] ?? null;
      else {
        const related = org.find(String(row[relations[head]?.[0] ?? ""] ?? ""))?.row;
        if (!related) out[head] = null;
        else {
          const nested = (out[head] ?? { attributes: { type: relations[head]?.[1] } }) as Row;
          nested[tail] = related[tail] ?? null;
          out[head] = nested;
        }
      }
    }
    return out;
  });
}

/** sObject Collections update: each record's result; all-or-none rolls back and marks the others. */
function collectionsUpdate(org: TestOrg, body: string) {
  const { allOrNone, records } = JSON.parse(body) as { allOrNone?: boolean; records: Row[] };
  const snapshot = structuredClone([...org.tables]);
  const results = records.map((record) => {
    const { attributes: _type, Id, ...fields } = record;
    try {
      org.update(String(Id), fields);
      return { id: Id, success: true, errors: [] as unknown[] };
    } catch (e) {
      if (!(e instanceof OrgFailure)) throw e;
      return { id: Id, success: false, errors: [e.error] as unknown[] };
    }
  });
  if (allOrNone && results.some((r) => !r.success)) {
    org.tables = new Map(snapshot);
    return results.map((r) =>
      r.success
        ? {
            id: r.id,
            success: false,
            errors: [
              {
                statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                message: "Record rolled back because not all records were valid and the request was using AllOrNone header",
                fields: [],
              },
            ],
          }
        : r,
    );
  }
  return results;
}

type Subrequest = { method: string; url: string; referenceId: string; body?: Row };

/** Composite: POSTs to /sobjects/{type} in order, `@{ref.id}` resolved; all-or-none halts the rest. */
function composite(org: TestOrg, body: string, version: string) {
  const { allOrNone, compositeRequest } = JSON.parse(body) as { allOrNone?: boolean; compositeRequest: Subrequest[] };
  const ids = new Map<string, string>();
  const out: Array<{ body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }> = [];
  let failedAt = -1;
  const snapshot = structuredClone([...org.tables]);
  compositeRequest.forEach((sub, i) => {
    if (failedAt >= 0 && allOrNone) return;
    const type = new RegExp(`^/services/data/v${version.replace(".", "\\.")}/sobjects/(\\w+)$`).exec(sub.url)?.[1];
    const fields = JSON.parse(JSON.stringify(sub.body ?? {}).replace(/@\{(\w+)\.id\}/g, (_, ref: string) => ids.get(ref) ?? "")) as Row;
    try {
      if (sub.method !== "POST" || !type)
        throw new OrgFailure({ statusCode: "NOT_FOUND", message: "The requested resource does not exist", fields: [] });
      const id = org.insert(type, fields);
      ids.set(sub.referenceId, id);
      out.push({
        body: { id, success: true, errors: [] },
        httpHeaders: { Location: `${sub.url}/${id}` },
        httpStatusCode: 201,
        referenceId: sub.referenceId,
      });
    } catch (e) {
      if (!(e instanceof OrgFailure)) throw e;
      failedAt = i;
      out.push({
        body: [{ errorCode: e.error.statusCode, message: e.error.message, fields: e.error.fields }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: sub.referenceId,
      });
    }
  });
  if (failedAt >= 0 && allOrNone) {
    org.tables = new Map(snapshot);
    const halted = {
      errorCode: "PROCESSING_HALTED",
      message: "The transaction was rolled back since another operation in the same transaction failed.",
    };
    return {
      compositeResponse: compositeRequest.map((sub, i) =>
        i === failedAt ? out[i] : { body: [halted], httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId },
      ),
    };
  }
  return { compositeResponse: out };
}

type MergeRequestXml = { masterRecord?: { type?: string; Id?: string }; recordToMergeIds?: string[] };

/** SOAP `merge` (partner API): a mergeResponse with one result, its errors inside the result as Salesforce does. */
function soapMerge(org: TestOrg, body: string): Response {
  const doc = xml.parse(body) as { Envelope?: { Body?: { merge?: { mergeRequests?: MergeRequestXml } } } };
  const request = doc.Envelope?.Body?.merge?.mergeRequests;
  if (!request) return faults.soapFault("INVALID_OPERATION", "only merge is served here");
  const masterId = request.masterRecord?.Id ?? "";
  const mergedIds = request.recordToMergeIds ?? [];
  let result: string;
  try {
    const moved = org.merge(request.masterRecord?.type ?? "", masterId, mergedIds);
    const merged = mergedIds.map((id) => `<mergedRecordIds>${id}</mergedRecordIds>`).join("");
    const related = moved.map((id) => `<updatedRelatedIds>${id}</updatedRelatedIds>`).join("");
    result = `<result><id>${masterId}</id>${merged}<success>true</success>${related}</result>`;
  } catch (e) {
    if (!(e instanceof OrgFailure)) throw e;
    result = `<result><errors><message>${e.error.message}</message><statusCode>${e.error.statusCode}</statusCode></errors><id xsi:nil="true"/><success>false</success></result>`;
  }
  return new HttpResponse(
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><mergeResponse>${result}</mergeResponse></soapenv:Body></soapenv:Envelope>`,
    { status: 200, headers: { "content-type": "text/xml;charset=UTF-8" } },
  );
}
