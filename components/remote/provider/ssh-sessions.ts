import { createHash } from "crypto";
import { Client, ClientChannel, SFTPWrapper } from "ssh2";
import { StepConnection, describeTarget } from "./step-state";

/** What a command run over SSH printed and how it ended. */
export interface RemoteResult {
  /** Exit status; null when the channel closed without one (connection lost, killed by a signal). */
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** A file to put on the board: local path, and absolute remote path. */
export interface RemoteFile {
  source: string;
  remotePath: string;
}

/** sshd's default MaxSessions is 10; stay below it so a busy board never refuses a channel. */
const CHANNELS_PER_CONNECTION = 8;
const RETRY_PAUSE_MS = 500;
const KEEPALIVE_MS = 15_000;

/** Counts down the channels a connection may still open, and queues the rest. */
class ChannelSlots {
  private free = CHANNELS_PER_CONNECTION;
  private readonly waiting: Array<() => void> = [];

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

interface Session {
  client: Client;
  slots: ChannelSlots;
}

/**
 * One SSH connection per board, shared by every step on it for the life of the provider process
 * (one `pulumi up`): a board's steps open channels on it instead of dialling again for each step.
 * A connection that drops is forgotten, and the next command dials again.
 */
export class SshSessions {
  private readonly sessions = new Map<string, Promise<Session>>();
  /** Connections made so far, by board: the tests' measure of connection reuse. */
  readonly dials = new Map<string, number>();

  async exec(target: StepConnection, command: string, stdin: string): Promise<RemoteResult> {
    const session = await this.session(target);
    await session.slots.take();
    try {
      return await new Promise<RemoteResult>((resolve, reject) => {
        session.client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
          if (error) {
            reject(new Error(`${describeTarget(target)}: cannot start a command over SSH: ${error.message}`));
            return;
          }
          let stdout = "";
          let stderr = "";
          let code: number | null = null;
          let signal: string | undefined;
          channel.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
          channel.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
          channel.on("exit", (exitCode: number | null, exitSignal?: string) => {
            code = exitCode;
            signal = exitSignal ?? undefined;
          });
          channel.on("close", () => resolve({ code, signal, stdout, stderr }));
          channel.end(stdin);
        });
      });
    } finally {
      session.slots.give();
    }
  }

  /** Copies files over SFTP as the SSH user, each to a temporary name first so none is left half-written. */
  async put(target: StepConnection, files: RemoteFile[]): Promise<void> {
    if (files.length === 0) return;
    const session = await this.session(target);
    await session.slots.take();
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        session.client.sftp((error: Error | undefined, channel: SFTPWrapper) => (error ? reject(error) : resolve(channel))),
      );
      try {
        for (const file of files) {
          const partial = `${file.remotePath}.edgecall-partial`;
          await new Promise<void>((resolve, reject) =>
            sftp.fastPut(file.source, partial, { mode: 0o600 }, (error?: Error | null) => (error ? reject(error) : resolve())),
          );
          await new Promise<void>((resolve, reject) =>
            sftp.ext_openssh_rename(partial, file.remotePath, (error?: Error | null) => (error ? reject(error) : resolve())),
          );
        }
      } finally {
        sftp.end();
      }
    } catch (error) {
      throw new Error(`${describeTarget(target)}: copying files over SFTP failed: ${(error as Error).message}`);
    } finally {
      session.slots.give();
    }
  }

  /** Closes every connection (the provider process is ending). */
  closeAll(): void {
    for (const pending of this.sessions.values()) pending.then((s) => s.client.end(), () => undefined);
    this.sessions.clear();
  }

  private session(target: StepConnection): Promise<Session> {
    // A connection is only shared by steps with the same credentials and host key pin.
    const key = `${describeTarget(target)} ${createHash("sha256").update(target.privateKey).digest("hex")} ${target.hostKey ?? ""}`;
    const known = this.sessions.get(key);
    if (known !== undefined) return known;
    const pending = this.dialWithRetries(target).then((client) => {
      const forget = () => {
        if (this.sessions.get(key) === pending) this.sessions.delete(key);
      };
      client.on("close", forget);
      client.on("error", forget);
      return { client, slots: new ChannelSlots() };
    });
    this.sessions.set(key, pending);
    pending.catch(() => this.sessions.delete(key));
    return pending;
  }

  private async dialWithRetries(target: StepConnection): Promise<Client> {
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= target.dialErrorLimit; attempt++) {
      try {
        const client = await this.dial(target);
        this.dials.set(describeTarget(target), (this.dials.get(describeTarget(target)) ?? 0) + 1);
        return client;
      } catch (error) {
        lastError = error as Error;
        if (isPermanent(lastError)) break;
        if (attempt < target.dialErrorLimit) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
    throw new Error(explainDialError(target, lastError));
  }

  private dial(target: StepConnection): Promise<Client> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let hostKeyMismatch = false;
      const expectedKey = target.hostKey === undefined ? undefined : Buffer.from(target.hostKey.split(/\s+/)[1] ?? "", "base64");
      client.once("ready", () => resolve(client));
      client.once("error", (error: Error) => {
        client.end();
        reject(hostKeyMismatch ? new HostKeyMismatch() : error);
      });
      client.connect({
        host: target.host,
        port: target.port,
        username: target.user,
        privateKey: target.privateKey,
        readyTimeout: target.perDialTimeout * 1000,
        keepaliveInterval: KEEPALIVE_MS,
        hostVerifier:
          expectedKey === undefined
            ? undefined
            : (key: Buffer) => {
                hostKeyMismatch = !key.equals(expectedKey);
                return !hostKeyMismatch;
              },
      });
    });
  }
}

class HostKeyMismatch extends Error {
  constructor() {
    super("host key mismatch");
  }
}

/** Errors that another attempt cannot fix. */
function isPermanent(error: Error): boolean {
  return error instanceof HostKeyMismatch || /authentication methods failed|Cannot parse privateKey|Encrypted private OpenSSH key/i.test(error.message);
}

function explainDialError(target: StepConnection, error: Error | undefined): string {
  const where = describeTarget(target);
  if (error instanceof HostKeyMismatch) {
    return `${where}: the board's SSH host key does not match nodes[].hostKey; if the board was reinstalled, update the pinned key`;
  }
  const message = error?.message ?? "unknown error";
  if (/authentication methods failed/i.test(message)) {
    return `${where}: the board refused the SSH key of user ${target.user}; check ssh.privateKey and ~${target.user}/.ssh/authorized_keys on the board`;
  }
  if (/Cannot parse privateKey|Encrypted private OpenSSH key/i.test(message)) {
    return `${where}: ssh.privateKey cannot be read (${message}); set an unencrypted OpenSSH or PEM key with 'pulumi config set --secret --path edgecall:ssh.privateKey < KEYFILE'`;
  }
  return `${where}: cannot reach the board over SSH after ${target.dialErrorLimit} attempt(s) (${message}); check nodes[].host and that the board is up`;
}
