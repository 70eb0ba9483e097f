/**
 * The whole product on one machine for end-to-end tests and benchmarks: the local HubSpot-compatible server
 * in-process and the Worker under `wrangler dev`, wired to each other on free ports with fixed test secrets.
 */
import { type RunningLocalHubspot, type StartOptions, startLocalHubspot } from "../../local-hubspot/index.ts";
import { freePort, startWorkerProcess, type WorkerProcess } from "../../scripts/worker-process.ts";

export const STACK_SECRETS = {
  HUBSPOT_CLIENT_SECRET: "e2e-client-secret",
  HUBSPOT_APP_ID: "777001",
  ADMIN_API_TOKEN: "e2e-admin-token",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  HUBSPOT_ACCESS_TOKEN: "e2e-private-app-token",
} as const;
export const STACK_PORTAL_ID = 880001;

export type Stack = {
  hubspot: RunningLocalHubspot;
  worker: WorkerProcess;
  admin<T>(path: string, init?: RequestInit): Promise<T>;
  /** Creates or changes a record as a person in HubSpot's UI would (webhooks say `userId:<id>`). */
  hubspotAsUser(path: string, init: RequestInit): Promise<Response>;
  stop(): Promise<void>;
};

export async function startStack(options: { hubspot?: Omit<StartOptions, "webhook" | "port">; settings?: unknown } = {}): Promise<Stack> {
  const port = await freePort();
  const hubspot = await startLocalHubspot({
    ...options.hubspot,
    webhook: {
      targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
      clientSecret: STACK_SECRETS.HUBSPOT_CLIENT_SECRET,
      appId: STACK_SECRETS.HUBSPOT_APP_ID,
      portalId: STACK_PORTAL_ID,
      batchDelayMs: 20,
    },
  });
  let worker: WorkerProcess;
  try {
    worker = await startWorkerProcess({
      port,
      vars: {
        ...STACK_SECRETS,
        HUBSPOT_API_BASE: hubspot.url,
        HUBSPOT_PORTAL_ID: String(STACK_PORTAL_ID),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      },
      testScheduled: true,
      frozen: true,
      ...(process.env.STACK_LOG ? { log: (line: string) => process.stderr.write(line) } : {}),
    });
  } catch (cause) {
    await hubspot.stop();
    throw cause;
  }
  const admin = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${worker.url}/api/admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${STACK_SECRETS.ADMIN_API_TOKEN}`, "content-type": "application/json", ...init?.headers },
    });
    if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  if (options.settings !== undefined) {
    await admin(`/portals/${STACK_PORTAL_ID}/settings`, { method: "PUT", body: JSON.stringify(options.settings) });
  }
  return {
    hubspot,
    worker,
    admin,
    hubspotAsUser: (path, init) =>
      fetch(`${hubspot.url}${path}`, {
        ...init,
        headers: {
          authorization: "Bearer user-session",
          "content-type": "application/json",
          "x-local-hubspot-user-id": "7",
          ...init.headers,
        },
      }),
    stop: async () => {
      await worker.stop();
      await hubspot.stop();
    },
  };
}

/** Polls `check` until it returns a value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
