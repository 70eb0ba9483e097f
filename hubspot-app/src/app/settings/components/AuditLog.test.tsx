import { Alert, Button, Input, Link, Table } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it } from "vitest";
import { allText, fakeFetch, IDS } from "../../cards/components/test-support.ts";
import { audit, reviewQueue } from "../../cards/fixtures/settings-fixtures.ts";
import { AuditLog } from "./AuditLog.tsx";
import { ReviewQueue } from "./ReviewQueue.tsx";

const undone = { undone: ["a-31"], skipped: [], dryRun: false };

function renderLog(canUndo = true) {
  const fetchJson = fakeFetch({
    "GET /api/settings/audit": audit,
    "POST /api/settings/audit/undo": undone,
    "POST /api/settings/audit/export": { url: "https://worker.example/exports/abc.csv", expiresAt: "2026-03-14T10:15:00Z", rows: 5 },
  });
  const renderer = createRenderer("settings");
  renderer.render(<AuditLog fetchJson={fetchJson} query={IDS} canUndo={canUndo} />);
  return { ...renderer, fetchJson };
}

describe("AuditLog", () => {
  it("lists each change with its status and before → after", async () => {
    const { findByTestId, waitFor } = renderLog();
    await waitFor(() => expect(allText(findByTestId(Table, "audit-table"))).toContain("phone: (415) 555-0100 → +14155550100"));
    expect(allText(findByTestId(Table, "audit-table"))).toContain("refused");
  });

  it("undoes one entry by id and reloads the log", async () => {
    const { findByTestId, waitFor, fetchJson } = renderLog();
    await waitFor(() => findByTestId(Button, "audit-a-31-undo"));
    findByTestId(Button, "audit-a-31-undo").trigger("onClick");
    await waitFor(() => expect(allText(findByTestId(Alert, "audit-outcome"))).toBe("Undid 1 change(s)."));
    expect(fetchJson).toHaveBeenCalledWith("POST /api/settings/audit/undo", IDS, {
      selection: { kind: "entries", ids: ["a-31"] },
      dryRun: false,
    });
    await waitFor(() => expect(fetchJson.mock.calls.filter((c) => c[0] === "GET /api/settings/audit").length).toBe(2));
  });

  it("undoes everything one rule did, and everything in a time window", async () => {
    const { findByTestId, findAll, waitFor, fetchJson } = renderLog();
    await waitFor(() => findByTestId(Button, "audit-undo-rule"));
    const [rule, from, to] = findAll(Input);
    rule?.trigger("onChange", "r-west" as never);
    from?.trigger("onChange", "2026-03-14T00:00:00Z" as never);
    to?.trigger("onChange", "2026-03-14T12:00:00Z" as never);
    findByTestId(Button, "audit-undo-rule").trigger("onClick");
    await waitFor(() =>
      expect(fetchJson).toHaveBeenCalledWith("POST /api/settings/audit/undo", IDS, {
        selection: { kind: "rule", ruleId: "r-west", from: "2026-03-14T00:00:00Z", to: "2026-03-14T12:00:00Z" },
        dryRun: false,
      }),
    );
    await waitFor(() => expect(findByTestId(Button, "audit-undo-window").props.disabled).toBe(false));
    findByTestId(Button, "audit-undo-window").trigger("onClick");
    await waitFor(() =>
      expect(fetchJson).toHaveBeenCalledWith("POST /api/settings/audit/undo", IDS, {
        selection: { kind: "window", from: "2026-03-14T00:00:00Z", to: "2026-03-14T12:00:00Z", automation: null },
        dryRun: false,
      }),
    );
  });

  it("exports CSV as a short-lived download link", async () => {
    const { findByTestId, waitFor, fetchJson } = renderLog();
    await waitFor(() => findByTestId(Button, "audit-export"));
    findByTestId(Button, "audit-export").trigger("onClick");
    await waitFor(() =>
      expect(findByTestId(Link, "audit-export-link").props.href).toEqual({ url: "https://worker.example/exports/abc.csv", external: true }),
    );
    expect(fetchJson).toHaveBeenCalledWith("POST /api/settings/audit/export", IDS, { filter: {} });
  });

  it("offers no Undo to users who may not undo", async () => {
    const { maybeFindByTestId, findByTestId, waitFor } = renderLog(false);
    await waitFor(() => findByTestId(Table, "audit-table"));
    expect(maybeFindByTestId(Button, "audit-a-31-undo")).toBeNull();
    expect(maybeFindByTestId(Button, "audit-undo-rule")).toBeNull();
  });
});

describe("ReviewQueue", () => {
  it("merges a suggested pair through the card endpoint, on the pair's first record", async () => {
    const fetchJson = fakeFetch({
      "GET /api/settings/review-queue": reviewQueue,
      "POST /api/cards/duplicates/merge": { status: "merged", message: "Merged.", auditId: "a-40", newObjectId: "9931" },
    });
    const { findByTestId, maybeFindByTestId, render, waitFor } = createRenderer("settings");
    render(<ReviewQueue fetchJson={fetchJson} query={IDS} />);
    await waitFor(() => findByTestId(Button, "review-101-2207-merge"));
    findByTestId(Button, "review-101-2207-merge").trigger("onClick");
    await waitFor(() => expect(allText(findByTestId(Alert, "review-outcome"))).toBe("Merged."));
    expect(fetchJson).toHaveBeenCalledWith(
      "POST /api/cards/duplicates/merge",
      { ...IDS, objectType: "contacts", objectId: 101 },
      { pairId: "101-2207", otherId: "2207", primaryId: "2207" },
    );
    expect(maybeFindByTestId(Button, "review-101-2207-merge")).toBeNull();
  });
});
