import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Only the headless-Chromium run of the preview; `npm test` leaves it out (it needs Debian's chromium installed).
export default defineConfig({
  root: join(import.meta.dirname, "..", ".."),
  test: {
    name: "browser",
    reporters: ["default", "./test/summary-reporter.ts"],
    include: ["test/browser/**/*.spec.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
