/**
 * A URL shown without what may be a secret: its user and password (`***`), its query and fragment
 * (`?***`, `#***`: a signed URL's token lives there), for any message that shows a URL, of any scheme
 * (a mistyped `postgress://` or a `mysql://` URL is masked too). The user information runs to the
 * last `@`, because a password with a raw `@` in it is still a password: masking too much beats
 * leaking.
 */
export function maskUrl(url: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?(?:(\S*)@)?([^\s?#]*)(\?[^\s#]*)?(#\S*)?$/.exec(url);
  if (match === null) return url;
  const [, scheme = "", userInfo, rest, query, fragment] = match;
  const user = userInfo === undefined ? "" : `${userInfo.includes(":") ? "***:***" : "***"}@`;
  return `${scheme}${user}${rest}${query === undefined ? "" : "?***"}${fragment === undefined ? "" : "#***"}`;
}

/** Every occurrence of `url` in `text` (a driver's message, say) shown masked. */
export function maskUrlIn(text: string, url: string): string {
  return url === "" ? text : text.split(url).join(maskUrl(url));
}

/** Every `scheme://...` URL in `text` shown masked: for messages that quote what a user wrote. */
export function maskUrlsIn(text: string): string {
  return text.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"']+/g, (url) => maskUrl(url));
}

/** Whether a URL carries a credential: a user or password, or a query (where signed URLs keep their token). */
export function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== "" || parsed.password !== "" || parsed.search !== "";
  } catch {
    return /\S@/.test(url) || url.includes("?");
  }
}
