import { Hono } from "hono";
import type { CardEnv } from "../auth/middleware.ts";
import { cardDeps, signedObjectId } from "./card-context.ts";
import { dealGatesCard } from "./deal-gates-card.ts";

/** `/api/cards/*`: mounted behind `requireCardSignature()`, so identity comes only from the signed query. */
export const cardRoutes = new Hono<CardEnv>();

cardRoutes.get("/deal-gates", async function getDealGatesCard(c) {
  return c.json(await dealGatesCard(signedObjectId(c), await cardDeps(c)));
});
