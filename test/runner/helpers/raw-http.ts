import * as net from "net";

/** What a raw HTTP exchange ended with: the parsed answer, or the socket error (ECONNRESET...). */
export interface RawAnswer {
  status?: number;
  headers: Record<string, string>;
  body: string;
  error?: string;
}

/**
 * Connects to 127.0.0.1:port, writes `request` and reads until the server closes. fetch() pools
 * connections and hides resets behind "fetch failed"; a socket of its own says exactly what
 * happened. `stall` keeps the socket open after writing (a client that stopped mid-request);
 * `limitMs` bounds the wait, after which the exchange ends with error "gave up".
 */
export function rawExchange(port: number, request: string | Buffer, options: { stall?: boolean; limitMs?: number } = {}): { answer: Promise<RawAnswer>; socket: net.Socket; connected: Promise<void> } {
  const socket = net.connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const answer = new Promise<RawAnswer>((resolve) => {
    let error: string | undefined;
    const timer = setTimeout(() => {
      error = "gave up";
      socket.destroy();
    }, options.limitMs ?? 30_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ ...parse(Buffer.concat(chunks).toString("utf8")), ...(error === undefined ? {} : { error }) });
    });
  });
  socket.once("connect", () => {
    socket.write(request);
    if (options.stall !== true) socket.end();
  });
  return { answer, socket, connected };
}

function parse(text: string): RawAnswer {
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) return { headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: text.slice(split + 4) };
}

/** A complete request with Content-Length, closing the connection after its answer. */
export function httpRequest(method: string, path: string, body = "", contentType = "application/json"): string {
  const length = Buffer.byteLength(body);
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n${body}`;
}
