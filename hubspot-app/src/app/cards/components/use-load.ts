import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../api/client.ts";

/** An async read as the card renders it. */
export type Load<T> = { status: "loading" } | { status: "ready"; data: T } | { status: "error"; message: string };

/**
 * Runs `load` when `key` changes; `replace` swaps in fresher data (e.g. the card an action returned), `reload` refetches.
 * A stale answer (after the key changed or the component unmounted) is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): { state: Load<T>; replace: (data: T) => void; reload: () => void } {
  const [state, setState] = useState<Load<T>>({ status: "loading" });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` reads; `round` forces a reload
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    load()
      .then((data) => live && setState({ status: "ready", data }))
      .catch((err: unknown) => live && setState({ status: "error", message: errorMessage(err) }));
    return () => {
      live = false;
    };
  }, [key, round]);
  const replace = useCallback((data: T) => setState({ status: "ready", data }), []);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { state, replace, reload };
}

/** A button's request as the card renders it. */
export type Action =
  | { status: "idle" }
  | { status: "running"; id: string }
  | { status: "done"; message: string }
  | { status: "failed"; message: string };
