/** Domain functions return results, not exceptions; `code` is a literal the edge maps to an HTTP status. */
export type DomainError<C extends string = string> = {
  readonly code: C;
  readonly message: string;
  readonly path?: readonly (string | number)[];
};

export type Result<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DomainError<C> };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const err = <C extends string>(code: C, message: string, path?: (string | number)[]): { ok: false; error: DomainError<C> } => ({
  ok: false,
  error: path ? { code, message, path } : { code, message },
});
