/**
 * ISO 3166-2 subdivision suffixes by country, each with the names and abbreviations people type. Keys are matched
 * through `placeKey` (accents folded, lower-case, punctuation dropped), so "Baden-Württemberg" and "baden wurttemberg" meet.
 */
const TABLES: Record<string, Record<string, string>> = {
  US: {
    AL: "Alabama|Ala",
    AK: "Alaska",
    AZ: "Arizona|Ariz",
    AR: "Arkansas|Ark",
    CA: "California|Calif|Cal",
    CO: "Colorado|Colo",
    CT: "Connecticut|Conn",
    DE: "Delaware|Del",
    DC: "District of Columbia|Washington DC|Washington D C",
    FL: "Florida|Fla",
    GA: "Georgia",
    HI: "Hawaii",
    ID: "Idaho",
    IL: "Illinois|Ill",
    IN: "Indiana|Ind",
    IA: "Iowa",
    KS: "Kansas|Kan",
    KY: "Kentucky|Ky",
    LA: "Louisiana",
    ME: "Maine",
    MD: "Maryland|Md",
    MA: "Massachusetts|Mass",
    MI: "Michigan|Mich",
    MN: "Minnesota|Minn",
    MS: "Mississippi|Miss",
    MO: "Missouri",
    MT: "Montana|Mont",
    NE: "Nebraska|Neb|Nebr",
    NV: "Nevada|Nev",
    NH: "New Hampshire",
    NJ: "New Jersey",
    NM: "New Mexico",
    NY: "New York|NY State|New York State",
    NC: "North Carolina",
    ND: "North Dakota",
    OH: "Ohio",
    OK: "Oklahoma|Okla",
    OR: "Oregon|Ore|Oreg",
    PA: "Pennsylvania|Penn|Penna",
    RI: "Rhode Island",
    SC: "South Carolina",
    SD: "South Dakota",
    TN: "Tennessee|Tenn",
    TX: "Texas|Tex",
    UT: "Utah",
    VT: "Vermont",
    VA: "Virginia",
    WA: "Washington|Wash|Washington State",
    WV: "West Virginia",
    WI: "Wisconsin|Wis|Wisc",
    WY: "Wyoming|Wyo",
    PR: "Puerto Rico",
    GU: "Guam",
    VI: "US Virgin Islands|Virgin Islands",
    AS: "American Samoa",
    MP: "Northern Mariana Islands",
  },
  CA: {
    AB: "Alberta|Alta",
    BC: "British Columbia|Colombie-Britannique",
    MB: "Manitoba",
    NB: "New Brunswick|Nouveau-Brunswick",
    NL: "Newfoundland and Labrador|Newfoundland|Terre-Neuve-et-Labrador",
    NS: "Nova Scotia|Nouvelle-Écosse",
    NT: "Northwest Territories",
    NU: "Nunavut",
    ON: "Ontario|Ont",
    PE: "Prince Edward Island|PEI|Île-du-Prince-Édouard",
    QC: "Quebec|Québec|Que|PQ",
    SK: "Saskatchewan|Sask",
    YT: "Yukon|Yukon Territory",
  },
  AU: {
    NSW: "New South Wales",
    VIC: "Victoria",
    QLD: "Queensland",
    WA: "Western Australia",
    SA: "South Australia",
    TAS: "Tasmania",
    ACT: "Australian Capital Territory",
    NT: "Northern Territory",
  },
  DE: {
    BW: "Baden-Württemberg",
    BY: "Bayern|Bavaria",
    BE: "Berlin",
    BB: "Brandenburg",
    HB: "Bremen",
    HH: "Hamburg",
    HE: "Hessen|Hesse",
    MV: "Mecklenburg-Vorpommern|Mecklenburg-Western Pomerania",
    NI: "Niedersachsen|Lower Saxony",
    NW: "Nordrhein-Westfalen|North Rhine-Westphalia|NRW",
    RP: "Rheinland-Pfalz|Rhineland-Palatinate",
    SL: "Saarland",
    SN: "Sachsen|Saxony",
    ST: "Sachsen-Anhalt|Saxony-Anhalt",
    SH: "Schleswig-Holstein",
    TH: "Thüringen|Thuringia",
  },
  GB: { ENG: "England", SCT: "Scotland", WLS: "Wales|Cymru", NIR: "Northern Ireland" },
  IN: {
    AP: "Andhra Pradesh",
    AS: "Assam",
    BR: "Bihar",
    CT: "Chhattisgarh",
    GA: "Goa",
    GJ: "Gujarat",
    HR: "Haryana",
    HP: "Himachal Pradesh",
    JH: "Jharkhand",
    KA: "Karnataka",
    KL: "Kerala",
    MP: "Madhya Pradesh",
    MH: "Maharashtra",
    OR: "Odisha|Orissa",
    PB: "Punjab",
    RJ: "Rajasthan",
    TN: "Tamil Nadu",
    TG: "Telangana",
    UP: "Uttar Pradesh",
    UT: "Uttarakhand",
    WB: "West Bengal",
    DL: "Delhi|New Delhi|NCT of Delhi",
    JK: "Jammu and Kashmir",
    CH: "Chandigarh",
  },
};

const PUNCT_RE = /[^\p{L}\p{N}]+/gu;

function indexKey(name: string): string {
  // Same folding as placeKey in country.ts, kept local to avoid an import cycle.
  return name
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[.'’()]/g, "")
    .replace(PUNCT_RE, " ")
    .trim();
}

const INDEX = new Map<string, Map<string, string>>();
for (const [country, table] of Object.entries(TABLES)) {
  const byKey = new Map<string, string>();
  for (const [code, names] of Object.entries(table)) {
    byKey.set(code.toLowerCase(), code);
    for (const name of names.split("|")) byKey.set(indexKey(name), code);
  }
  INDEX.set(country, byKey);
}

/** Subdivision suffix for a folded key; with no country, only when every table that knows the key agrees on one code. */
export function lookupSubdivision(country: string | null, key: string): string | null {
  if (country !== null) return INDEX.get(country)?.get(key) ?? null;
  let found: string | null = null;
  for (const byKey of INDEX.values()) {
    const code = byKey.get(key);
    if (code === undefined) continue;
    if (found !== null && found !== code) return null;
    found = code;
  }
  return found;
}

/** Countries with a subdivision table: a state outside these is not judged. */
export function hasSubdivisionTable(country: string): boolean {
  return INDEX.has(country);
}
