import { hubspot } from "@hubspot/ui-extensions";
import { createFetchJson, workerOrigin } from "../cards/api/client.ts";
import { SettingsPage } from "./components/SettingsPage.tsx";

hubspot.extend<"settings">(({ context }) => (
  <SettingsPage
    portalId={context.portal.id}
    userId={context.user.id}
    fetchJson={createFetchJson(hubspot.fetch, workerOrigin(context.variables))}
  />
));
