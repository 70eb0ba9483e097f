/** Formatting the cards and pages share; no package imports, so settings/ and pages/ can use it too. */

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** "2026-03-14 09:05 UTC"; the card may run in any time zone, so it says which. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** 0.873 → "87%". */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A match probability for people: 0.9731 → "97%", never "100%" unless it is exactly 1. */
export function formatProbability(p: number): string {
  const pct = Math.floor(p * 100);
  return `${p < 1 ? Math.min(pct, 99) : 100}%`;
}

/** log2 likelihood ratio → "+6.2" / "−1.5". */
export function formatWeight(w: number): string {
  return `${w >= 0 ? "+" : "−"}${Math.abs(w).toFixed(1)}`;
}

/** A blank value shown as an em dash. */
export function orDash(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? "—" : value;
}
