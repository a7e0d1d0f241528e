/**
 * A URL with its password replaced by `***`, for any message that shows a URL (any scheme, so a
 * mistyped `postgress://` or a `mysql://` URL is masked too). The password runs to the last `@`
 * because a password with a raw `@` in it is still a password: masking too much beats leaking.
 */
export function maskUrl(url: string): string {
  return url.replace(/^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^:/@\s]*:)[^\s]*@/, "$1***@");
}

/** Every occurrence of `url` in `text` (a driver's message, say) shown masked. */
export function maskUrlIn(text: string, url: string): string {
  return url === "" ? text : text.split(url).join(maskUrl(url));
}
