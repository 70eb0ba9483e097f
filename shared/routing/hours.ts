/** Weekdays as working-hours keys, in `Date.getDay()` order (Sunday first). */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A rep's wall clock at one instant: local date, weekday, minutes since local midnight. */
export type LocalClock = { date: string; weekday: Weekday; minutes: number; label: string };

/** A working period within one local day, in minutes since midnight; `end` may be 1440 (24:00). */
export type MinuteRange = { start: number; end: number };

const RANGE = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Parses `"09:00-17:30"`; `null` when malformed, empty, reversed or past 24:00. Overnight shifts are split over two days. */
export function parseHourRange(text: string): MinuteRange | null {
  const hit = parsedRanges.get(text);
  if (hit !== undefined) return hit;
  const range = parseRange(text);
  if (parsedRanges.size < 10_000) parsedRanges.set(text, range);
  return range;
}

// Settings hold few distinct range strings; parsing each once keeps the regex off the per-decision path.
const parsedRanges = new Map<string, MinuteRange | null>();

function parseRange(text: string): MinuteRange | null {
  const m = RANGE.exec(text.trim());
  if (!m) return null;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start >= 1440 || end > 1440 || end <= start) return null;
  return { start, end };
}

/** Whether `name` is an IANA time zone this runtime's Intl knows. */
export function isValidTimeZone(name: string): boolean {
  if (name.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Formatters are costly to build and immutable, so one per zone is kept for the life of the isolate.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const BUCKET_MS = 15 * 60_000;
const WEEKDAY_BY_INDEX = WEEKDAYS;
const SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
// Zone offset per 15-minute UTC bucket: offsets are whole quarter hours and change on quarter-hour UTC instants,
// so one Intl call serves every decision in the bucket (Intl costs about 5 µs; a decision checks many reps).
const offsets = new Map<string, { bucket: number; offsetMs: number }>();

/** The zone's UTC offset at `t`, from Intl at the start of t's quarter hour. */
function offsetAt(timeZone: string, t: number): number {
  const bucket = Math.floor(t / BUCKET_MS);
  const hit = offsets.get(timeZone);
  if (hit && hit.bucket === bucket) return hit.offsetMs;
  const start = bucket * BUCKET_MS;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(start))) parts[p.type] = p.value;
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute));
  const offsetMs = wall - start;
  offsets.set(timeZone, { bucket, offsetMs });
  return offsetMs;
}

/** The wall clock in `timeZone` at `at`, through Intl so daylight-saving changes follow the zone's own rules. */
export function localClock(timeZone: string, at: Date): LocalClock {
  const t = at.getTime();
  const last = lastClocks.get(timeZone);
  if (last && last.t === t) return last.clock;
  const clock = computeClock(timeZone, t);
  lastClocks.set(timeZone, { t, clock });
  return clock;
}

// Reps in one zone checked for one decision share the instant, so the zone's last clock is reused.
const lastClocks = new Map<string, { t: number; clock: LocalClock }>();

function computeClock(timeZone: string, t: number): LocalClock {
  const local = new Date(t + offsetAt(timeZone, t));
  const day = local.getUTCDay();
  const hour = local.getUTCHours();
  const minute = local.getUTCMinutes();
  const date = local.toISOString().slice(0, 10);
  const hhmm = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  return { date, weekday: WEEKDAY_BY_INDEX[day] ?? "sun", minutes: hour * 60 + minute, label: `${SHORT[day]} ${date} ${hhmm}` };
}

/** Whether the local clock falls inside one of that weekday's ranges (start inclusive, end exclusive). */
export function isWithinHours(clock: LocalClock, hours: Readonly<Partial<Record<Weekday, readonly string[]>>>): boolean {
  for (const text of hours[clock.weekday] ?? []) {
    const r = parseHourRange(text);
    if (r && clock.minutes >= r.start && clock.minutes < r.end) return true;
  }
  return false;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A time-off bound: a whole local day (`YYYY-MM-DD`, inclusive) or an instant (ISO date-time with offset). */
export function isDateOnly(text: string): boolean {
  return DATE_ONLY.test(text);
}

/** Whether a time-off period covers `at`: whole days compare with the rep's local date, date-times as instants. */
export function isInPeriod(period: { start: string; end: string }, clock: LocalClock, at: Date): boolean {
  if (isDateOnly(period.start)) return clock.date >= period.start && clock.date <= period.end;
  const t = at.getTime();
  return t >= Date.parse(period.start) && t < Date.parse(period.end);
}
