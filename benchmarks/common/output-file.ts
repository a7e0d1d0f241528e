import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CliError } from "./cli-error";

/**
 * Where a write to `file` really lands: through a symlink to its target, so that renaming a
 * finished file into place replaces what the link points at rather than the link itself.
 */
function destination(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function identity(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output that is one of the command's inputs: the same file by device and inode, so a
 * symlink, a hard link or another spelling of the path is caught too. Writing it would replace the
 * input with the output before anyone notices.
 */
export function refuseInputAsOutput(output: string, inputs: readonly string[], flag: string): void {
  const outputId = identity(output);
  if (outputId === undefined) return;
  const clash = inputs.find((input) => identity(input) === outputId);
  if (clash !== undefined) throw new CliError(`${flag} ${output}: is the input ${clash}; choose another file for the output`);
}

function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks, before any long work, that `file` can be written as writeOutputFile will write it: its
 * target is not a directory and a file can be created beside it. Creating a probe is the only
 * honest check: permission bits say nothing about read-only mounts, and root passes them all.
 */
export function assertOutputWritable(file: string, flag: string): void {
  const target = destination(file);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new CliError(`${flag} ${file}: is a directory`);
  const probe = temporaryBeside(target);
  try {
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.rmSync(probe, { force: true });
  } catch (error) {
    throw new CliError(`${flag} ${file}: cannot write (${reason(error)})`);
  }
}

/**
 * Writes `file` whole or not at all: the text goes to a temporary file in the same directory
 * (so the rename stays on one file system) and is renamed over the target once complete. A crash,
 * a full disk or a kill mid-write leaves the previous file as it was.
 */
export function writeOutputFile(file: string, text: string, flag: string): void {
  writeOutputPieces(file, [text], flag);
}

/**
 * writeOutputFile for output too large to hold as one string: `pieces` are written to the
 * temporary file as they come, gathered into blocks of about 1 MB so that a row is not a system
 * call, and the file is renamed over the target only once complete.
 */
export function writeOutputPieces(file: string, pieces: Iterable<string>, flag: string): void {
  const target = destination(file);
  const temporary = temporaryBeside(target);
  try {
    const fd = fs.openSync(temporary, "wx");
    try {
      let block: string[] = [];
      let size = 0;
      for (const piece of pieces) {
        block.push(piece);
        size += piece.length;
        if (size >= 1 << 20) {
          fs.writeFileSync(fd, block.join(""));
          block = [];
          size = 0;
        }
      }
      if (block.length > 0) fs.writeFileSync(fd, block.join(""));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new CliError(`${flag} ${file}: cannot write (${reason(error)})`);
  }
}
