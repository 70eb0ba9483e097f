import type { CrmPort, CrmResult } from "../../../shared/crm-port.ts";
import type { Owner, Pipeline, PortalKey } from "../../../shared/domain/types.ts";

/** Pipelines and owners change rarely; a few minutes of staleness saves an API call per event. */
export const REFERENCE_TTL_MS = 10 * 60_000;

type Kinds = { pipelines: Pipeline[]; owners: Owner[] };

/** Reads pipelines and owners through a per-portal D1 cache, at most once per batch. */
export class ReferenceData {
  private readonly memo = new Map<keyof Kinds, Promise<CrmResult<unknown>>>();

  constructor(
    private readonly db: D1Database,
    private readonly portalKey: PortalKey,
    private readonly crm: CrmPort,
    private readonly now: number,
  ) {}

  pipelines(): Promise<CrmResult<Pipeline[]>> {
    return this.get("pipelines", () => this.crm.listDealPipelines());
  }

  owners(): Promise<CrmResult<Owner[]>> {
    return this.get("owners", () => this.crm.listOwners());
  }

  private get<K extends keyof Kinds>(kind: K, load: () => Promise<CrmResult<Kinds[K]>>): Promise<CrmResult<Kinds[K]>> {
    let pending = this.memo.get(kind) as Promise<CrmResult<Kinds[K]>> | undefined;
    if (!pending) {
      pending = this.load(kind, load);
      this.memo.set(kind, pending);
    }
    return pending;
  }

  private async load<K extends keyof Kinds>(kind: K, load: () => Promise<CrmResult<Kinds[K]>>): Promise<CrmResult<Kinds[K]>> {
    const row = await this.db
      .prepare("SELECT body, fetched_at FROM crm_reference_cache WHERE portal_key = ? AND kind = ?")
      .bind(this.portalKey, kind)
      .first<{ body: string; fetched_at: number }>();
    if (row && this.now - row.fetched_at < REFERENCE_TTL_MS) return { ok: true, value: JSON.parse(row.body) as Kinds[K] };
    const fresh = await load();
    if (fresh.ok) {
      await this.db
        .prepare(
          `INSERT INTO crm_reference_cache (portal_key, kind, body, fetched_at) VALUES (?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
        )
        .bind(this.portalKey, kind, JSON.stringify(fresh.value), this.now)
        .run();
    }
    return fresh;
  }
}
