import type { Company, Contact, PortalKey } from "../../../shared/domain/types.ts";
import { companyNameKey, leadAccountKeys, registrableDomain } from "../../../shared/routing/accounts.ts";
import type { CompanyRef, PropertyMap, PropertyValue } from "../../../shared/routing/types.ts";

/** Company properties that rule conditions with `source: "company"` may test. */
function companyProperties(c: Company): Record<string, PropertyValue> {
  return {
    name: c.name,
    domain: c.domain,
    country: c.country,
    state: c.state,
    zip: c.extra.zip ?? null,
    industry: c.industry,
    numberofemployees: c.numberOfEmployees,
  };
}

const UPSERT = `INSERT INTO routing_companies (portal_key, company_id, domain_key, name_key, name, domain, owner_id, properties, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET domain_key = excluded.domain_key, name_key = excluded.name_key,
name = excluded.name, domain = excluded.domain, owner_id = excluded.owner_id, properties = excluded.properties, updated_at = excluded.updated_at`;

/** Keeps the lead-to-account index current with companies as the pipeline reads them (one round trip). */
export async function indexCompanies(db: D1Database, portalKey: PortalKey, companies: readonly Company[], now: number): Promise<void> {
  if (companies.length === 0) return;
  await db.batch(
    companies.map((c) =>
      db
        .prepare(UPSERT)
        .bind(
          portalKey,
          c.id,
          registrableDomain(c.domain ?? c.website),
          companyNameKey(c.name),
          c.name,
          c.domain ?? c.website,
          c.ownerId,
          JSON.stringify(companyProperties(c)),
          now,
        ),
    ),
  );
}

export async function forgetCompany(db: D1Database, portalKey: PortalKey, companyId: string): Promise<void> {
  await db.prepare("DELETE FROM routing_companies WHERE portal_key = ? AND company_id = ?").bind(portalKey, companyId).run();
}

type Row = { company_id: string; name: string | null; domain: string | null; owner_id: string | null; properties: string };

/** What routing reads from D1 for one contact. */
export type RoutingLookup = { companies: CompanyRef[]; company: PropertyMap | null; hygieneScore: number | null };

/**
 * What routing needs to know about a contact, in one D1 round trip: its associated company (for company-sourced
 * conditions), every company sharing its registrable email domain or company name key (one indexed query), and the
 * hygiene score the hygiene engine stored for it.
 */
export async function routingLookup(
  db: D1Database,
  portalKey: PortalKey,
  contact: Pick<Contact, "id" | "email" | "company" | "companyId">,
): Promise<RoutingLookup> {
  const [lookup] = await routingLookups(db, portalKey, [contact]);
  return lookup ?? { companies: [], company: null, hygieneScore: null };
}

/** `routingLookup` for many contacts in one D1 round trip (two indexed statements per contact), in input order. */
export async function routingLookups(
  db: D1Database,
  portalKey: PortalKey,
  contacts: readonly Pick<Contact, "id" | "email" | "company" | "companyId">[],
): Promise<RoutingLookup[]> {
  if (contacts.length === 0) return [];
  const statements = contacts.flatMap((contact) => {
    const keys = leadAccountKeys({ email: contact.email, company: contact.company });
    return [
      db
        .prepare(
          `SELECT company_id, name, domain, owner_id, properties FROM routing_companies
           WHERE portal_key = ?1 AND (company_id = ?2 OR domain_key = ?3 OR name_key = ?4) LIMIT 50`,
        )
        .bind(portalKey, contact.companyId ?? "", keys.domain ?? "", keys.nameKey ?? ""),
      db
        .prepare("SELECT score FROM hygiene_scores WHERE portal_key = ? AND object_type = 'contacts' AND object_id = ?")
        .bind(portalKey, contact.id),
    ];
  });
  const results = await db.batch(statements);
  return contacts.map((contact, i) => {
    const rows = (results[2 * i]?.results ?? []) as Row[];
    const score = results[2 * i + 1]?.results[0] as { score: number } | undefined;
    const associated = rows.find((r) => r.company_id === contact.companyId);
    return {
      companies: rows.map((r) => ({ id: r.company_id, domain: r.domain, name: r.name, ownerId: r.owner_id })),
      company: associated ? (JSON.parse(associated.properties) as PropertyMap) : null,
      hygieneScore: score?.score ?? null,
    };
  });
}
