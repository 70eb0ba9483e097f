/** D1 refuses a statement with more than 100 bound values; local test runtimes may not, so we check ourselves. */
export const D1_MAX_BOUND = 100;

/** Prepares and binds a statement, throwing here (in tests too) when it would exceed D1's bound-value limit. */
export function bound(db: D1Database, sql: string, params: readonly unknown[]): D1PreparedStatement {
  if (params.length > D1_MAX_BOUND) throw new Error(`a statement binds ${params.length} values; D1 allows ${D1_MAX_BOUND}`);
  return db.prepare(sql).bind(...params);
}
