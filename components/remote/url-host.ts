/** A host as it goes into a URL or `host:port`: an IPv6 address in brackets, anything else as is. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
