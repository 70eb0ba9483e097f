import { type CountryCode, isSupportedCountry, type MetadataJson, parsePhoneNumberFromString } from "libphonenumber-js/core";
import maxMetadata from "libphonenumber-js/max/metadata";

export type PhoneInfo = {
  input: string;
  /** "+14155552671"; `null` when no number could be read. */
  e164: string | null;
  /** ISO alpha-2 country the number belongs to (from its calling code and digits), not the region guessed from. */
  country: string | null;
  /** The digits match the country's numbering plan (with `max` metadata: per number type, not only by length). */
  valid: boolean;
  /** The length is plausible for the country. */
  possible: boolean;
  extension: string | null;
};

export type PhoneNormalizer = (raw: string | null, region?: string) => PhoneInfo;

/**
 * A phone normaliser over a libphonenumber-js metadata set. `max` validates digit patterns per number type (a
 * 555-0100 fake is possible but not valid); `min` only checks lengths. The bench (`npm run bench hygiene --metadata
 * min|max`) measured both; the default below is `max`, which stays well inside the 20k contacts/s target.
 */
export function createPhoneNormalizer(metadata: MetadataJson): PhoneNormalizer {
  const regions = new Map<string, CountryCode | undefined>();
  const regionOf = (region: string | undefined): CountryCode | undefined => {
    if (!region) return undefined;
    let code = regions.get(region);
    if (code === undefined && !regions.has(region)) {
      const upper = region.trim().toUpperCase();
      code = upper.length === 2 && isSupportedCountry(upper as CountryCode, metadata) ? (upper as CountryCode) : undefined;
      regions.set(region, code);
    }
    return code;
  };
  return function normalizePhoneWith(raw, region) {
    const input = raw ?? "";
    if (!/\d/.test(input)) return blank(input);
    // "00" is the international prefix in most of the world; read "0049 30…" as "+49 30…" whatever the region.
    const text = input.trim().replace(/^00(?=[1-9])/, "+");
    const parsed = parsePhoneNumberFromString(text, { defaultCountry: regionOf(region) }, metadata);
    // A number too short or long for any plan ("12", "555-0100" in the US) has no E.164 form worth storing.
    if (!parsed?.isPossible()) return blank(input);
    return {
      input,
      e164: parsed.number,
      country: parsed.country ?? null,
      valid: parsed.isValid(),
      possible: true,
      extension: parsed.ext ?? null,
    };
  };
}

function blank(input: string): PhoneInfo {
  return { input, e164: null, country: null, valid: false, possible: false, extension: null };
}

/** Reads a phone number written any way ("(415) 555-2671", "+44 20 7946 0958 ext. 12", "0049 30 901820"), guessing the country from `region` (ISO alpha-2) when the number has no calling code. */
export const normalizePhone: PhoneNormalizer = createPhoneNormalizer(maxMetadata as MetadataJson);
