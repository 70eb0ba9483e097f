// Only these escapes are decoded in the URI HubSpot signs; everything else stays as sent.
const DECODED: Record<string, string> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

/** The URI as HubSpot puts it into the v3 signed string. */
export function hubspotSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** X-HubSpot-Signature-v3: base64(HMAC-SHA256(client secret, method + uri + body + timestamp)), with Web Crypto. */
export async function signHubspotV3(args: {
  clientSecret: string;
  method: string;
  url: string;
  body: string;
  timestamp: number;
}): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(args.clientSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signed = `${args.method.toUpperCase()}${hubspotSignedUri(args.url)}${args.body}${args.timestamp}`;
  return toBase64(await crypto.subtle.sign("HMAC", key, enc.encode(signed)));
}
