import { hubspot } from "@hubspot/ui-extensions";
import { createFetchJson, workerOrigin } from "../cards/api/client.ts";
import { Dashboard } from "./components/Dashboard.tsx";

hubspot.extend<"home">(({ context }) => (
  <Dashboard
    portalId={context.portal.id}
    userId={context.user.id}
    fetchJson={createFetchJson(hubspot.fetch, workerOrigin(context.variables))}
  />
));
