import type { Context } from "hono";
import { Hono } from "hono";
import type { CardEnv } from "../auth/middleware.ts";
import { installedBy, mayDo } from "../settings/permissions.ts";
import { cardDeps, signedObjectId } from "./card-context.ts";
import { dealGatesCard } from "./deal-gates-card.ts";
import { dismissDuplicate, duplicatesCard, mergeDuplicates } from "./duplicates-card.ts";
import { fixHygiene, hygieneCard, hygieneRequest } from "./hygiene-card.ts";
import { rerouteFromCard, routingCard, routingCardContext } from "./routing-card.ts";

/** `/api/cards/*`: mounted behind `requireCardSignature()`, so identity comes only from the signed query. */
export const cardRoutes = new Hono<CardEnv>();

cardRoutes.get("/deal-gates", async function getDealGatesCard(c) {
  return c.json(await dealGatesCard(signedObjectId(c), await cardDeps(c)));
});

/** Card deps plus who is asking (signed userId) and what they may press on the duplicates card. */
async function duplicatesContext(c: Context<CardEnv>) {
  const deps = await cardDeps(c);
  const userId = c.get("card").userId;
  const installer = await installedBy(c.env.DB, deps.portalKey);
  const viewer = {
    userId,
    canMerge: mayDo(deps.settings, installer, userId, "merge"),
    canDismiss: mayDo(deps.settings, installer, userId, "fix"),
  };
  return { deps, viewer, contactId: signedObjectId(c) };
}

cardRoutes.get("/duplicates", async function getDuplicatesCard(c) {
  const { deps, viewer, contactId } = await duplicatesContext(c);
  return c.json(await duplicatesCard(contactId, deps, viewer));
});

cardRoutes.post("/duplicates/merge", async function mergeDuplicatePair(c) {
  const { deps, viewer, contactId } = await duplicatesContext(c);
  return c.json(await mergeDuplicates(contactId, await c.req.json().catch(() => null), deps, viewer));
});

cardRoutes.post("/duplicates/dismiss", async function dismissDuplicatePair(c) {
  const { deps, viewer, contactId } = await duplicatesContext(c);
  return c.json(await dismissDuplicate(contactId, await c.req.json().catch(() => null), deps, viewer));
});

cardRoutes.get("/hygiene", async function getHygieneCard(c) {
  return c.json(await hygieneCard(await hygieneRequest(c)));
});

cardRoutes.post("/hygiene/fix", async function fixHygieneFindings(c) {
  return c.json(await fixHygiene(await hygieneRequest(c), await c.req.json().catch(() => null)));
});

cardRoutes.get("/routing", async function getRoutingCard(c) {
  const { deps, objectType, objectId, viewer } = await routingCardContext(c);
  return c.json(await routingCard(objectType, objectId, deps, viewer));
});

cardRoutes.post("/routing/reroute", async function rerouteLead(c) {
  const { deps, objectType, objectId, viewer, router } = await routingCardContext(c);
  return c.json(await rerouteFromCard(objectType, objectId, await c.req.json().catch(() => null), deps, viewer, router));
});
