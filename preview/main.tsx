/** The local preview page: every card in each of its states, the settings page and the dashboard, on fixture data. */
import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { ApiError } from "../hubspot-app/src/app/cards/api/client.ts";
import { AccountHealthView } from "../hubspot-app/src/app/cards/components/AccountHealthView.tsx";
import { DataHealthView } from "../hubspot-app/src/app/cards/components/DataHealthView.tsx";
import { RoutingView } from "../hubspot-app/src/app/cards/components/RoutingView.tsx";
import { StageExitView } from "../hubspot-app/src/app/cards/components/StageExitView.tsx";
import { contactDuplicates, contactHygiene, contactRouting, dealGates } from "../hubspot-app/src/app/cards/fixtures/card-fixtures.ts";
import { Dashboard } from "../hubspot-app/src/app/pages/components/Dashboard.tsx";
import { SettingsPage } from "../hubspot-app/src/app/settings/components/SettingsPage.tsx";
import { companyAnswers, fakeFetchJson } from "./fake-api.ts";

const ids = { portalId: 123, userId: 71 } as const;
const refused = new ApiError(401, "bad_signature", "The request signature expired; reload the record.");

function Frame({
  id,
  title,
  state,
  width,
  children,
}: {
  id: string;
  title: string;
  state: string;
  width: "sidebar" | "tab" | "page";
  children: ReactNode;
}) {
  return (
    <section className={`frame ${width}`} data-testid={`frame-${id}`} id={id}>
      <p className="state">{state}</p>
      <div className="hs-card">
        <header>
          <span>{title}</span>
          <span className="chev">⌃</span>
        </header>
        <div className="body">{children}</div>
      </div>
    </section>
  );
}

function App() {
  return (
    <main>
      <div className="banner" data-testid="approximation-notice">
        Local preview of the CRM Autopilot HubSpot app, on sample data. <strong>An approximation of HubSpot's look</strong>: the real
        components render inside HubSpot; here each one is drawn with plain HTML and CSS.
      </div>
      <h2>Contact: Data health (sidebar)</h2>
      <div className="row">
        <Frame id="data-health-ready" title="Data health" state="Ready · observe-only · may fix and merge" width="sidebar">
          <DataHealthView {...ids} objectId={101} fetchJson={fakeFetchJson()} />
        </Frame>
        <Frame id="data-health-no-permission" title="Data health" state="No permission to fix or merge" width="sidebar">
          <DataHealthView
            {...ids}
            objectId={101}
            fetchJson={fakeFetchJson({
              "GET /api/cards/hygiene": { ...contactHygiene, mode: "auto", modeReason: null, permissions: { canFix: false } },
              "GET /api/cards/duplicates": { ...contactDuplicates, permissions: { canMerge: false } },
            })}
          />
        </Frame>
        <Frame id="data-health-empty" title="Data health" state="Empty" width="sidebar">
          <DataHealthView
            {...ids}
            objectId={102}
            fetchJson={fakeFetchJson({
              "GET /api/cards/hygiene": { ...contactHygiene, score: null, findings: [], breakdown: [] },
              "GET /api/cards/duplicates": { ...contactDuplicates, candidates: [] },
            })}
          />
        </Frame>
        <Frame id="data-health-error" title="Data health" state="Error" width="sidebar">
          <DataHealthView {...ids} objectId={103} fetchJson={fakeFetchJson({ "GET /api/cards/hygiene": refused })} />
        </Frame>
        <Frame id="data-health-loading" title="Data health" state="Loading" width="sidebar">
          <DataHealthView {...ids} objectId={104} fetchJson={fakeFetchJson({ "GET /api/cards/hygiene": "pending" })} />
        </Frame>
      </div>
      <h2>Contact: Routing (sidebar)</h2>
      <div className="row">
        <Frame id="routing-ready" title="Routing" state="Ready · admin may re-route" width="sidebar">
          <RoutingView {...ids} objectId={101} fetchJson={fakeFetchJson()} />
        </Frame>
        <Frame id="routing-observe" title="Routing" state="Observe-only · no permission" width="sidebar">
          <RoutingView
            {...ids}
            objectId={101}
            fetchJson={fakeFetchJson({
              "GET /api/cards/routing": {
                ...contactRouting,
                mode: "observe",
                modeReason: "routing is off",
                permissions: { canReroute: false },
                sla: { status: "breached", dueAt: "2026-03-14T09:30:42Z", minutes: 30, reroutedAt: null },
              },
            })}
          />
        </Frame>
        <Frame id="routing-empty" title="Routing" state="Empty (not routed yet)" width="sidebar">
          <RoutingView
            {...ids}
            objectId={105}
            fetchJson={fakeFetchJson({ "GET /api/cards/routing": { ...contactRouting, status: "unrouted", owner: null } })}
          />
        </Frame>
        <Frame id="routing-error" title="Routing" state="Error" width="sidebar">
          <RoutingView {...ids} objectId={106} fetchJson={fakeFetchJson({ "GET /api/cards/routing": refused })} />
        </Frame>
      </div>
      <h2>Company: Account health (sidebar)</h2>
      <div className="row">
        <Frame id="account-health-ready" title="Account health" state="Ready · auto-fix on · no re-route" width="sidebar">
          <AccountHealthView {...ids} objectId={5001} fetchJson={fakeFetchJson(companyAnswers())} />
        </Frame>
      </div>
      <h2>Deal: Stage exit criteria (tab)</h2>
      <div className="row">
        <Frame id="stage-exit-ready" title="Stage exit criteria" state="Ready · enforced · one revert refused" width="tab">
          <StageExitView {...ids} objectId={9001} fetchJson={fakeFetchJson()} />
        </Frame>
        <Frame id="stage-exit-observe" title="Stage exit criteria" state="Observe-only · ready to move" width="sidebar">
          <StageExitView
            {...ids}
            objectId={9002}
            fetchJson={fakeFetchJson({
              "GET /api/cards/deal-gates": {
                ...dealGates,
                mode: "observe",
                modeReason: "stage gates are off",
                items: dealGates.items.map((i) => ({ ...i, met: true })),
                metCount: 4,
                ready: true,
                blockedMoves: [],
              },
            })}
          />
        </Frame>
        <Frame id="stage-exit-empty" title="Stage exit criteria" state="Empty" width="sidebar">
          <StageExitView
            {...ids}
            objectId={9003}
            fetchJson={fakeFetchJson({
              "GET /api/cards/deal-gates": { ...dealGates, items: [], scores: [], blockedMoves: [], metCount: 0, ready: true },
            })}
          />
        </Frame>
        <Frame id="stage-exit-error" title="Stage exit criteria" state="Error" width="sidebar">
          <StageExitView {...ids} objectId={9004} fetchJson={fakeFetchJson({ "GET /api/cards/deal-gates": refused })} />
        </Frame>
      </div>
      <h2>Settings page (admins)</h2>
      <Frame id="settings" title="CRM Autopilot settings" state="Admin" width="page">
        <SettingsPage {...ids} fetchJson={fakeFetchJson()} />
      </Frame>
      <h2>Home page: leaders' dashboard</h2>
      <Frame id="dashboard" title="CRM Autopilot" state="Last 14 days" width="page">
        <Dashboard {...ids} fetchJson={fakeFetchJson()} />
      </Frame>
    </main>
  );
}

const root = document.getElementById("root");
if (root) createRoot(root).render(<App />);
