import { useEffect, useState } from "react";
import { errorMessage } from "../../cards/api/client.ts";

/** An async read as the page renders it (this folder's own copy: each HubSpot component bundles its own React). */
export type Load<T> = { status: "loading" } | { status: "ready"; data: T } | { status: "error"; message: string };

/** Runs `load` whenever `key` changes; a stale answer is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Load<T> {
  const [state, setState] = useState<Load<T>>({ status: "loading" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` reads
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    load()
      .then((data) => live && setState({ status: "ready", data }))
      .catch((err: unknown) => live && setState({ status: "error", message: errorMessage(err) }));
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** A button's request as the page renders it. */
export type Action =
  | { status: "idle" }
  | { status: "running"; id: string }
  | { status: "done"; message: string }
  | { status: "failed"; message: string };
