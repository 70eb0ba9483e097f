import { FINDING_CODES } from "./codes.ts";
import type { Finding, FindingCode, Fix, Severity } from "./types.ts";

// How much one finding lowers its field's validity (the field scores the worst of its findings).
const VALIDITY_BY_SEVERITY: Record<Severity, number> = { error: 0, warning: 0.5, info: 0.9 };

/** Accumulates one record's findings, per-field validity, consistency checks and normalised values. */
export class ReportBuilder {
  readonly findings: Finding[] = [];
  readonly normalized: Record<string, string | null> = {};
  /** Field → validity 0..1 for every field that had a value with a format check. */
  readonly validity = new Map<string, number>();
  /** Each consistency check that could be made, with its outcome 0..1. */
  readonly consistency: { check: string; score: number }[] = [];

  /** Records that a field had a value its format was checked on (valid until a finding says otherwise). */
  checked(field: string): void {
    if (!this.validity.has(field)) this.validity.set(field, 1);
  }

  add(code: FindingCode, field: string, message: string, fix: Fix | null = null): void {
    const def = FINDING_CODES[code];
    this.findings.push({ code, field, severity: def.severity, message, fix });
    if (def.part === "validity") {
      const current = this.validity.get(field) ?? 1;
      this.validity.set(field, Math.min(current, VALIDITY_BY_SEVERITY[def.severity]));
    }
  }

  /** A consistency check that could be made; a failed one also adds its finding. */
  consistent(check: string, ok: boolean, failure?: { code: FindingCode; field: string; message: string }): void {
    this.consistency.push({ check, score: ok ? 1 : 0 });
    if (!ok && failure) this.add(failure.code, failure.field, failure.message);
  }
}
