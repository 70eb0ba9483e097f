import { vi } from "vitest";
import type { FetchJson } from "../api/client.ts";
import type { ResponseOf, Route } from "../api/contract.ts";

/** A FetchJson spy answering each route from `answers` (a value, or an Error to throw); unknown routes throw. */
export function fakeFetch(answers: { [R in Route]?: ResponseOf<R> | Error }) {
  return vi.fn(async (route: Route) => {
    const answer = answers[route];
    if (answer === undefined) throw new Error(`no fake answer for ${route}`);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as FetchJson & ReturnType<typeof vi.fn>;
}

/** A FetchJson that never answers, to see the loading state. */
export function pendingFetch(): FetchJson {
  return (() => new Promise(() => undefined)) as FetchJson;
}

export const IDS = { portalId: 7, userId: 9 } as const;

type Node = { nodeType: string; text: string | null; childNodes?: Node[] };
/** Every text under a rendered node, joined by spaces: what a person reads in it. */
export function allText(node: Node): string {
  if (node.nodeType === "text") return node.text ?? "";
  return (node.childNodes ?? []).map(allText).filter(Boolean).join(" ");
}
