import { Divider, Flex, Heading } from "@hubspot/ui-extensions";
import type { FetchJson } from "../api/client.ts";
import { DataHealthView } from "./DataHealthView.tsx";
import { RoutingView } from "./RoutingView.tsx";

export type AccountHealthViewProps = { portalId: number; userId: number; objectId: number; fetchJson: FetchJson };

/** A company's hygiene and who owns the account (and why). */
export function AccountHealthView({ portalId, userId, objectId, fetchJson }: AccountHealthViewProps) {
  return (
    <Flex direction="column" gap="sm">
      <DataHealthView portalId={portalId} userId={userId} objectId={objectId} fetchJson={fetchJson} objectType="companies" />
      <Divider />
      <Heading>Ownership</Heading>
      <RoutingView portalId={portalId} userId={userId} objectId={objectId} fetchJson={fetchJson} objectType="companies" compact />
    </Flex>
  );
}
