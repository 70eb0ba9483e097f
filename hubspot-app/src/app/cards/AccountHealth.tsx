import { hubspot } from "@hubspot/ui-extensions";
import { createFetchJson, workerOrigin } from "./api/client.ts";
import { AccountHealthView } from "./components/AccountHealthView.tsx";

hubspot.extend<"crm.record.sidebar">(({ context }) => (
  <AccountHealthView
    portalId={context.portal.id}
    userId={context.user.id}
    objectId={Number(context.crm.objectId)}
    fetchJson={createFetchJson(hubspot.fetch, workerOrigin(context.variables))}
  />
));
