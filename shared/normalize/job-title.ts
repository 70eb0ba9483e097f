import { foldAccents } from "./text.ts";

export type Seniority = "owner" | "c_level" | "vp" | "director" | "manager" | "senior" | "entry" | "intern";
export type JobFunction =
  | "executive"
  | "sales"
  | "marketing"
  | "engineering"
  | "it"
  | "product"
  | "design"
  | "finance"
  | "hr"
  | "operations"
  | "legal"
  | "support"
  | "education"
  | "healthcare"
  | "consulting";

export type JobTitleInfo = { readonly seniority: Seniority | null; readonly function: JobFunction | null };

type Rule<T> = readonly [T, RegExp];

// Checked in order: the first match wins, so higher levels come first ("VP of Sales Operations" is vp, not manager).
const SENIORITY: readonly Rule<Seniority>[] = [
  ["intern", /\b(intern|internship|praktikant\w*|stagiaire|werkstudent\w*|trainee|apprentice)\b/],
  ["owner", /\b(owner|co ?founder|founder|proprietor|inhaber\w*|fondateur)\b/],
  [
    "c_level",
    /\b(c[eiftmorsp]o|chief|president|ceo|managing director|geschaftsfuhrer\w*|general manager|directeur general|director general|pdg|vorstand\w*|executive director)\b/,
  ],
  ["vp", /\b(vp|svp|evp|avp|vice president|vice-president|vicepresident|head of|head|bereichsleiter\w*)\b/],
  ["director", /\b(director|directeur|directora?|dir|direktor\w*)\b/],
  ["manager", /\b(manager|mgr|lead|leader|supervisor|team ?lead|gerente|responsable|leiter\w*|teamleiter\w*)\b/],
  ["senior", /\b(senior|sr|staff|principal|expert|specialist|architect)\b/],
  [
    "entry",
    /\b(junior|jr|associate|account executive|assistant|coordinator|representative|rep|analyst|trainee|graduate|engineer|developer|agent)\b/,
  ],
];

const FUNCTIONS: readonly Rule<JobFunction>[] = [
  [
    "sales",
    /\b(sales|account executive|ae|sdr|bdr|business development|account manager|vertrieb\w*|ventas|commercial|comercial|revenue|cro)\b/,
  ],
  ["marketing", /\b(marketing|brand|growth|demand gen\w*|seo|content|communications?|pr|cmo|social media)\b/],
  ["it", /\b(it|information technology|sysadmin|system administrator|network|infrastructure|helpdesk|cio|devops|security)\b/],
  [
    "engineering",
    /\b(engineer\w*|technology|technical|developer|software|cto|programmer|entwickler\w*|ingenieur\w*|data scien\w*|qa|architect)\b/,
  ],
  ["product", /\b(product|cpo)\b/],
  ["design", /\b(design\w*|ux|ui|creative)\b/],
  ["finance", /\b(finance|financial|cfo|controller|accountant|accounting|treasur\w*|buchhalt\w*|comptable|tax|audit\w*)\b/],
  ["hr", /\b(hr|human resources|people|talent|recruit\w*|personal\w*|chro|rh)\b/],
  ["legal", /\b(legal|counsel|attorney|lawyer|paralegal|compliance|clo|jurist\w*|avocat)\b/],
  ["support", /\b(support|customer success|customer service|csm|service desk|kundendienst)\b/],
  ["operations", /\b(operations|operating|ops|coo|logistics|supply chain|procurement|purchasing|facilities|einkauf)\b/],
  ["education", /\b(teacher|professor|lecturer|principal|dean|educator|lehrer\w*)\b/],
  ["healthcare", /\b(nurse|physician|doctor|surgeon|pharmacist|therapist|clinical)\b/],
  ["consulting", /\b(consultant|consulting|advisor|berater\w*)\b/],
  ["executive", /\b(ceo|chief executive|president|founder|owner|managing director|geschaftsfuhrer\w*|general manager|pdg)\b/],
];

const cache = new Map<string, JobTitleInfo>();

/**
 * Job title → seniority and function from keywords in English, German, French and Spanish: "VP, Sales" → vp / sales,
 * "Sr. Software Engineer" → senior / engineering, "Geschäftsführer" → c_level / executive. `null` parts when unknown.
 */
export function classifyJobTitle(raw: string | null): JobTitleInfo {
  if (raw == null) return { seniority: null, function: null };
  const key = foldAccents(raw)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  if (key === "") return { seniority: null, function: null };
  let info = cache.get(key);
  if (info === undefined) {
    info = { seniority: firstMatch(SENIORITY, key), function: firstMatch(FUNCTIONS, key) };
    // Titles repeat heavily across a portal; a bounded cache keeps the regex work off the hot path.
    if (cache.size > 50_000) cache.clear();
    cache.set(key, info);
  }
  return info;
}

function firstMatch<T>(rules: readonly Rule<T>[], key: string): T | null {
  for (const [value, re] of rules) if (re.test(key)) return value;
  return null;
}
