import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tuningSteps } from "../../components/jetson-node/steps";
import type { HostStep } from "../../components/remote/remote-step";
import { SshSessions } from "../../components/remote/provider/ssh-sessions";
import { StepProvider } from "../../components/remote/provider/step-provider";
import { isSecret, secret } from "../../components/remote/provider/secrets";
import { renderStep } from "../../components/remote/remote-step";
import { SimBoard, boardShellOk, snapshot, stopBoards } from "../sim/boards";
import { freshBoards, skipReason } from "./support";

/*
 * The edgecall provider's own code (what the Pulumi engine calls for every host step) against a
 * simulated board over real SSH, without the engine: create, refresh, update and delete, the
 * files a step copies, one connection for all of a board's steps, and its errors.
 */

const spec = { name: "provider-nano", index: 8, kind: "nano", l4t: "R32.7.1" } as const;
const URN = (name: string) => `urn:pulumi:t::edgecall::edgecall:host:Step::${name}`;

function powerModeStep(mode: number): HostStep {
  const tuning = { board: "nano", powerMode: mode, jetsonClocks: false, fan: "auto", swapMb: 0, headless: false, dockerDefaultRuntime: false, minFreeDiskMb: 1, installsK3s: true } as const;
  return tuningSteps(tuning).find((step) => step.name === "power-mode") as HostStep;
}

describe.skipIf(skipReason !== undefined)("the edgecall provider over SSH", () => {
  let board: SimBoard;
  let sessions: SshSessions;
  let provider: StepProvider;
  let tmp: string;

  /** A step's inputs as the engine sends them: secrets wrapped. */
  function inputs(step: ReturnType<typeof renderStep>, extra: Record<string, unknown> = {}, connection: Record<string, unknown> = {}) {
    return {
      connection: {
        host: board.host,
        port: board.port,
        user: board.user,
        privateKey: secret(fs.readFileSync(board.keyPath, "utf8")),
        dialErrorLimit: 2,
        perDialTimeout: 5,
        ...connection,
      },
      sudoPassword: secret(board.sudoPassword),
      step,
      undoable: true,
      secretFacts: false,
      ...extra,
    };
  }

  const logins = async () => Number((await boardShellOk(board, "grep -c 'Accepted publickey' /var/log/edgecall-sim-sshd.log || true")).trim());

  beforeAll(async () => {
    [board] = await freshBoards([spec]);
    sessions = new SshSessions();
    provider = new StepProvider(sessions);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-provider-"));
  });
  afterAll(async () => {
    sessions?.closeAll();
    fs.rmSync(tmp, { recursive: true, force: true });
    await stopBoards([spec]);
  });

  it("applies, checks and undoes steps over one SSH connection, and a refresh finds drift", async () => {
    const before = await snapshot(board);
    const loginsBefore = await logins();
    const step = renderStep(powerModeStep(1));
    const created = await provider.create(URN("power"), inputs(step));
    expect(created.outs).toMatchObject({ facts: { power_mode_id: "1", power_mode_name: "5W" }, changed: true, inSync: true });
    expect(isSecret((created.outs as Record<string, Record<string, unknown>>).connection.privateKey)).toBe(true);

    const fresh = await provider.read(created.id, URN("power"), created.outs as Record<string, unknown>);
    expect(fresh.props).toMatchObject({ inSync: true });
    await boardShellOk(board, "nvpmodel -m 0");
    const drifted = await provider.read(created.id, URN("power"), created.outs as Record<string, unknown>);
    expect(drifted.props).toMatchObject({ inSync: false, facts: { power_mode_id: "0" } });
    const plan = await provider.diff(URN("power"), drifted.props as Record<string, unknown>, inputs(step));
    expect(plan).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    const repaired = await provider.update(URN("power"), inputs(step));
    expect(repaired.outs).toMatchObject({ facts: { power_mode_id: "1" }, inSync: true });
    expect(await provider.diff(URN("power"), repaired.outs as Record<string, unknown>, inputs(step))).toMatchObject({ changes: false });
    await provider.delete(URN("power"), repaired.outs as Record<string, unknown>);

    expect(await logins()).toBe(loginsBefore + 1);
    expect(await snapshot(board)).toEqual(before);
  });

  it("copies a step's files before it runs, only those missing or changed, and removes them on delete", async () => {
    const files = ["a.bin", "sub/b.bin"].map((name, i) => {
      const file = path.join(tmp, name.replace("/", "-"));
      fs.writeFileSync(file, crypto.randomBytes(200_000 + i));
      return { source: file, target: name, sha256: crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
    });
    const script = path.join(tmp, "list.sh");
    fs.writeFileSync(script, 'fact listing "$(cd "$EDGECALL_DIR" && sha256sum a.bin sub/b.bin | tr "\\n" " ")"\ncase $EDGECALL_ACTION in check) in_sync ;; *) unchanged ;; esac\n');
    const dir = "/var/tmp/edgecall-provider-test";
    const step = renderStep({ name: "list", scriptPath: script, env: { EDGECALL_DIR: dir } });
    const uploads = { dir, files };
    const created = await provider.create(URN("list"), inputs(step, { uploads }));
    const listing = (created.outs as { facts: { listing: string } }).facts.listing;
    for (const file of files) expect(listing).toContain(`${file.sha256}  ${file.target}`);
    expect(await boardShellOk(board, `stat -c '%U %a' ${dir} ${dir}/a.bin`)).toBe("jetson 700\njetson 600\n");

    // A changed file is copied again, the unchanged one is not (its inode stays).
    const inodeBefore = await boardShellOk(board, `stat -c %i ${dir}/a.bin ${dir}/sub/b.bin`);
    fs.writeFileSync(files[1].source, "changed\n");
    const changed = [files[0], { ...files[1], sha256: crypto.createHash("sha256").update("changed\n").digest("hex") }];
    await provider.update(URN("list"), inputs(step, { uploads: { dir, files: changed } }));
    const inodeAfter = await boardShellOk(board, `stat -c %i ${dir}/a.bin ${dir}/sub/b.bin`);
    expect(inodeAfter.split("\n")[0]).toBe(inodeBefore.split("\n")[0]);
    expect(inodeAfter.split("\n")[1]).not.toBe(inodeBefore.split("\n")[1]);

    // A file that differs from the sha256 it is given is caught on the board.
    const lying = [{ ...files[0], sha256: "0".repeat(64) }];
    await expect(provider.update(URN("list"), inputs(step, { uploads: { dir, files: lying } }))).rejects.toThrow(
      /a\.bin does not have sha256 0{64} on the board after copying/,
    );

    await provider.delete(URN("list"), { ...inputs(step, { uploads: { dir, files: changed } }), facts: {}, changed: false, inSync: true });
    expect(await boardShellOk(board, `test -e ${dir} && echo present || echo gone`)).toBe("gone\n");
  });

  it("fails naming the board, the step and the script's message", async () => {
    const script = path.join(tmp, "fail.sh");
    fs.writeFileSync(script, 'fail "the widget is missing: install it"\n');
    const step = renderStep({ name: "widget", scriptPath: script, env: {} });
    await expect(provider.create(URN("widget"), inputs(step))).rejects.toThrow(
      new RegExp(`host step widget on jetson@${board.host.replace(/\./g, "\\.")}:22: its apply exited 1:\nedgecall: provider-nano: widget: the widget is missing: install it`),
    );
  });

  it("names an unreachable board, a refused key and a host key that does not match", async () => {
    const step = renderStep(powerModeStep(1));
    await expect(provider.create(URN("p"), inputs(step, {}, { host: "10.213.7.250", perDialTimeout: 1, dialErrorLimit: 1 }))).rejects.toThrow(
      /jetson@10\.213\.7\.250:22: cannot reach the board over SSH after 1 attempt\(s\) .*check nodes\[\]\.host/,
    );
    const otherKey = path.join(tmp, "other_key");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey]);
    await expect(provider.create(URN("p"), inputs(step, {}, { privateKey: secret(fs.readFileSync(otherKey, "utf8")) }))).rejects.toThrow(
      /refused the SSH key of user jetson; check ssh\.privateKey/,
    );
    const wrongHostKey = `ssh-ed25519 ${Buffer.alloc(51, 7).toString("base64")}`;
    await expect(provider.create(URN("p"), inputs(step, {}, { hostKey: wrongHostKey }))).rejects.toThrow(/host key does not match nodes\[\]\.hostKey/);
  });
});
