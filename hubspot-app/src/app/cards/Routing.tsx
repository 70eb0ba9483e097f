import { hubspot } from "@hubspot/ui-extensions";
import { createFetchJson, workerOrigin } from "./api/client.ts";
import { RoutingView } from "./components/RoutingView.tsx";

hubspot.extend<"crm.record.sidebar">(({ context }) => (
  <RoutingView
    portalId={context.portal.id}
    userId={context.user.id}
    objectId={Number(context.crm.objectId)}
    fetchJson={createFetchJson(hubspot.fetch, workerOrigin(context.variables))}
  />
));
