import * as associationsModule from "@hubspot/api-client/lib/codegen/crm/associations/v4/index.js";
import * as contactsModule from "@hubspot/api-client/lib/codegen/crm/contacts/index.js";
import * as objectsModule from "@hubspot/api-client/lib/codegen/crm/objects/index.js";
import * as ownersModule from "@hubspot/api-client/lib/codegen/crm/owners/index.js";
import * as pipelinesModule from "@hubspot/api-client/lib/codegen/crm/pipelines/index.js";

/**
 * The parts of `@hubspot/api-client` we call, built from its generated modules rather than the whole `Client`
 * (which bundles every HubSpot API into the Worker). Requests go through our budgeted fetch.
 */
type CodegenModule = {
  createConfiguration: (conf: object) => unknown;
  ServerConfiguration: new (url: string, vars: Record<string, string>) => unknown;
  ResponseContext: new (
    status: number,
    headers: Record<string, string>,
    body: { text(): Promise<string>; binary(): Promise<Buffer> },
  ) => unknown;
  Observable: new (promise: Promise<unknown>) => unknown;
};

type RequestContextLike = { getUrl(): string; getHttpMethod(): string; getHeaders(): Record<string, string>; getBody(): unknown };

function configurationFor(mod: CodegenModule, basePath: string, accessToken: string, send: (r: Request) => Promise<Response>) {
  const httpApi = {
    send(ctx: RequestContextLike) {
      const body = ctx.getBody();
      const request = new Request(ctx.getUrl(), {
        method: ctx.getHttpMethod(),
        headers: ctx.getHeaders(),
        body: body === undefined || body === "" ? undefined : (body as BodyInit),
      });
      const response = send(request).then(async (res) => {
        const headers: Record<string, string> = {};
        res.headers.forEach((value, key) => {
          headers[key] = value;
        });
        const text = await res.text();
        return new mod.ResponseContext(res.status, headers, {
          text: async () => text,
          binary: async () => Buffer.from(text),
        });
      });
      return new mod.Observable(response);
    },
  };
  return mod.createConfiguration({
    baseServer: new mod.ServerConfiguration(basePath.replace(/\/$/, ""), {}),
    httpApi,
    authMethods: { oauth2: { accessToken } },
  });
}

export function createHubspotApis(basePath: string, accessToken: string, send: (r: Request) => Promise<Response>) {
  const conf = <C>(mod: unknown) => configurationFor(mod as CodegenModule, basePath, accessToken, send) as C;
  const objects = conf<objectsModule.Configuration>(objectsModule);
  return {
    objectsBasic: new objectsModule.BasicApi(objects),
    objectsBatch: new objectsModule.BatchApi(objects),
    objectsSearch: new objectsModule.SearchApi(objects),
    contactsBasic: new contactsModule.BasicApi(conf<contactsModule.Configuration>(contactsModule)),
    owners: new ownersModule.OwnersApi(conf<ownersModule.Configuration>(ownersModule)),
    pipelines: new pipelinesModule.PipelinesApi(conf<pipelinesModule.Configuration>(pipelinesModule)),
    associationsBatch: new associationsModule.BatchApi(conf<associationsModule.Configuration>(associationsModule)),
  };
}

export type HubspotApis = ReturnType<typeof createHubspotApis>;
export { objectsModule };
