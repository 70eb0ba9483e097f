import { applyD1Migrations, env } from "cloudflare:test";

// Numbered migrations from workers/migrations, applied before every test file as `wrangler d1 migrations apply` does.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
