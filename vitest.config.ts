import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Test secrets for the Worker project: fixed, non-secret values so signatures and encryption are reproducible.
export const TEST_BINDINGS = {
  HUBSPOT_API_BASE: "https://api.hubapi.test",
  HUBSPOT_CLIENT_ID: "test-client-id",
  HUBSPOT_CLIENT_SECRET: "test-client-secret",
  HUBSPOT_APP_ID: "424242",
  HUBSPOT_ACCESS_TOKEN: "",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  ADMIN_API_TOKEN: "test-admin-token",
  PUBLIC_BASE_URL: "https://autopilot.test",
  SALESFORCE_CLIENT_ID: "sf-client",
  SALESFORCE_CLIENT_SECRET: "sf-secret",
  SALESFORCE_LOGIN_URL: "https://login.salesforce.test",
  SALESFORCE_API_VERSION: "62.0",
};

export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "shared",
          include: ["shared/**/*.test.ts", "cli/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { ...TEST_BINDINGS, TEST_MIGRATIONS: await readD1Migrations("./workers/migrations") },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["workers/**/*.test.ts"],
          setupFiles: ["./workers/test/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "cards",
          include: ["hubspot-app/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
