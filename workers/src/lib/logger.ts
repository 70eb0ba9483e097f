/** One structured logger: JSON lines with a request id. Never pass secrets or full emails/phones to it. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: string, message: string, fields?: LogFields) => {
    const line = JSON.stringify({ level, message, ...base, ...fields, time: new Date().toISOString() });
    if (level === "error") console.error(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

/** Masks an email or phone for logs: keeps the first character and the domain or last two digits. */
export function maskPii(value: string): string {
  const at = value.indexOf("@");
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  const digits = value.replace(/\D/g, "");
  if (digits.length >= 6) return `***${digits.slice(-2)}`;
  return "***";
}

const EMAILS = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi;
const PHONES = /\+?\d[\d\s().-]{6,}\d/g;

/** Masks every email address and phone-like digit run in free text (error messages can quote bound values). */
export function scrubPii(text: string): string {
  return text.replace(EMAILS, (m) => maskPii(m)).replace(PHONES, (m) => maskPii(m));
}
