import { hubspot } from "@hubspot/ui-extensions";
import { createFetchJson, workerOrigin } from "./api/client.ts";
import { StageExitView } from "./components/StageExitView.tsx";

hubspot.extend<"crm.record.tab">(({ context }) => (
  <StageExitView
    portalId={context.portal.id}
    userId={context.user.id}
    objectId={Number(context.crm.objectId)}
    fetchJson={createFetchJson(hubspot.fetch, workerOrigin(context.variables))}
  />
));
