import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/** HubSpot's OpenAPI specs live beside the repo, never in it. */
export const SPECS_DIR = fileURLToPath(new URL("../../../shared/hubspot-openapi/", import.meta.url));
export const specsPresent = existsSync(SPECS_DIR) && readdirSync(SPECS_DIR).some((f) => f.endsWith(".json"));
export const SKIP_REASON = `HubSpot's OpenAPI specs are absent at ${SPECS_DIR} (they sit beside the repo, as in CI)`;

// Specific specs first: deals by name fall through to the generic objects spec, as SOURCE.md says.
const ORDER = [
  "crm-contacts-v3",
  "crm-companies-v3",
  "crm-deals-v3",
  "crm-notes-v3",
  "crm-tasks-v3",
  "crm-users-v3",
  "crm-owners-v3",
  "crm-pipelines-v3",
  "crm-associations-v4",
  "auth-oauth-v3",
  "webhooks-journal-2026-03",
  "crm-objects-v3",
];

type Operation = {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
};
type Spec = {
  name: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
};
type Route = { spec: Spec; template: string; pattern: RegExp; method: string; op: Operation };

/**
 * HubSpot answers `null` for a requested property without a value, which the published schemas (string values only)
 * do not allow; `@hubspot/api-client`'s own models type these values `string | null`, so the validator does too.
 */
function allowNullPropertyValues(node: unknown): void {
  if (!node || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  const props = (o.properties as Record<string, Record<string, unknown>> | undefined)?.properties;
  const additional = props?.additionalProperties as Record<string, unknown> | undefined;
  if (props?.type === "object" && additional?.type === "string") additional.type = ["string", "null"];
  for (const v of Object.values(o)) allowNullPropertyValues(v);
}

/** Finds the spec operation for a request and validates bodies against its schemas (with $refs resolved by ajv). */
export function createSpecValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  for (const f of ["int32", "int64", "double", "float"]) ajv.addFormat(f, true);
  const routes: Route[] = [];
  for (const name of ORDER) {
    const file = `${SPECS_DIR}${name}.json`;
    if (!existsSync(file)) continue;
    const doc = JSON.parse(readFileSync(file, "utf8")) as Spec & Record<string, unknown>;
    allowNullPropertyValues(doc.components);
    doc.name = name;
    ajv.addSchema(doc, name);
    for (const [template, methods] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}/?$`);
      for (const [method, op] of Object.entries(methods)) routes.push({ spec: doc, template, pattern, method: method.toUpperCase(), op });
    }
  }
  // Literal segments beat parameters: `/contacts/search` is not `/contacts/{contactId}`.
  const literalness = (t: string) => t.split("/").filter((s) => !s.startsWith("{")).length;
  const find = (method: string, path: string) =>
    routes.filter((r) => r.method === method && r.pattern.test(path)).sort((a, b) => literalness(b.template) - literalness(a.template))[0];
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (spec: Spec, pointer: string) => {
    const key = `${spec.name}#${pointer}`;
    let v = compiled.get(key);
    if (!v) {
      v = ajv.compile({ $ref: key });
      compiled.set(key, v);
    }
    return v;
  };
  const check = (spec: Spec, pointer: string, body: unknown): string[] => {
    const v = validatorFor(spec, pointer);
    return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
  };
  const pointerEscape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

  return {
    /** Problems of a request body against the operation's schema; `undefined` when no operation matches. */
    request(method: string, path: string, body: unknown): { operation: string; errors: string[] } | undefined {
      const route = find(method, path);
      if (!route) return undefined;
      const content = route.op.requestBody?.content ?? {};
      const type = Object.keys(content).find((k) => k.includes("json"));
      const operation = `${route.spec.name} ${method} ${route.template}`;
      if (!type || body === undefined) return { operation, errors: [] };
      return {
        operation,
        errors: check(
          route.spec,
          `/paths/${pointerEscape(route.template)}/${method.toLowerCase()}/requestBody/content/${pointerEscape(type)}/schema`,
          body,
        ),
      };
    },
    /** Problems of a response body against the documented response for its status (or `default`, the Error schema). */
    response(method: string, path: string, status: number, body: unknown): { operation: string; errors: string[] } | undefined {
      const route = find(method, path);
      if (!route) return undefined;
      const operation = `${route.spec.name} ${method} ${route.template} → ${status}`;
      const key = route.op.responses?.[String(status)] ? String(status) : "default";
      const response = route.op.responses?.[key];
      if (!response) return { operation, errors: [`status ${status} is not documented`] };
      if (response.$ref) return { operation, errors: check(route.spec, "/components/schemas/Error", body) };
      const type = Object.keys(response.content ?? {}).find((k) => k.includes("json") || k === "*/*");
      if (!type) return { operation, errors: body === undefined ? [] : ["documented without a body"] };
      return {
        operation,
        errors: check(
          route.spec,
          `/paths/${pointerEscape(route.template)}/${method.toLowerCase()}/responses/${key}/content/${pointerEscape(type)}/schema`,
          body,
        ),
      };
    },
  };
}
