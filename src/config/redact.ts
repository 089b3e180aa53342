/**
 * The one place passwords are kept out of output. Two layers: `redact(url)` masks the
 * credentials of a URL before it is shown, whatever its form; `redactSecrets(text)`
 * masks every password Mortar has read (from a URL, DB_PASSWORD or a config file) in any
 * text about to be printed, so a driver message or a stack that happens to quote one
 * is still clean.
 */

/** Shorter values would mask ordinary words in messages; such a password is not worth its damage. */
const MIN_SECRET_LENGTH = 3;
const secrets = new Set<string>();

/** Remember a password (and its percent-encoded forms) so `redactSecrets` masks it. */
export function rememberSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  secrets.add(value);
  for (const encoded of [encodeURIComponent(value), encodeURI(value)]) {
    if (encoded !== value) secrets.add(encoded);
  }
}

/** Replace every remembered password in `text` by `***`, longest first so a secret inside another is not half-masked. */
export function redactSecrets(text: string): string {
  if (secrets.size === 0) return text;
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join("***");
  return result;
}

/**
 * A URL fit to print. The user's part is kept, everything from its colon to the LAST
 * `@` is masked (a malformed URL's password may hold an unencoded `/`, `@` or `#`), with
 * or without the `//`, and a `password=` query value is masked too. When the text does
 * not start with a known scheme, everything before the last `@` is masked.
 */
export function redact(url: string): string {
  const match = /^(postgres(?:ql)?|pgsql|pg|mysql|mariadb|sqlite3?):(\/\/)?(.*)$/is.exec(url);
  let result: string;
  if (!match) {
    const at = url.lastIndexOf("@");
    result = at >= 0 ? `***${url.slice(at)}` : url;
  } else {
    const [, scheme, slashes = "", rest = ""] = match;
    const at = rest.lastIndexOf("@");
    const colon = rest.indexOf(":");
    const masked = at >= 0 && colon >= 0 && colon < at ? `${rest.slice(0, colon)}:***${rest.slice(at)}` : rest;
    result = `${scheme}:${slashes}${masked}`;
  }
  return result.replace(/([?&]password=)[^&#]*/gi, "$1***");
}
