import { app } from "./app.ts";

export { PortalDurableObject } from "./portal/portal-durable-object.ts";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
