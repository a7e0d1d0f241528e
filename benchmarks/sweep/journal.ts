import * as fs from "fs";
import { CliError } from "../common/cli-error";

/** What the journal records, one JSON line each, appended and flushed to disk before the sweep goes on. */
export type JournalEvent =
  | { event: "start"; point: string; at: string }
  | { event: "done"; point: string; at: string }
  | { event: "failed"; point: string; at: string; error: string }
  /** The sweep stopped the point itself (^C): its update ended cleanly, and the point is to be run again. */
  | { event: "stopped"; point: string; at: string }
  | { event: "restored"; at: string };

/** What a journal says: the points measured, the point a sweep was in when it stopped, and failures. */
export interface JournalState {
  done: Set<string>;
  /** The point started last and never finished: the sweep was killed in it. */
  interrupted?: string;
  failed: Map<string, string>;
  /** Whether the stack's own config was put back after the last point that ran. */
  restored: boolean;
}

/**
 * The sweep's journal (journal.jsonl in the experiment directory). A point is `done` only once its
 * outputs are on disk (the caller writes them first), so a sweep killed at any moment loses no
 * measured point and redoes only the one it was in.
 */
export class Journal {
  constructor(readonly file: string) {}

  read(): JournalState {
    const state: JournalState = { done: new Set(), failed: new Map(), restored: false };
    if (!fs.existsSync(this.file)) return state;
    const lines = fs.readFileSync(this.file, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      let event: JournalEvent;
      try {
        event = JSON.parse(line) as JournalEvent;
      } catch {
        // A line cut off by a kill mid-write is the last one; anywhere else the journal is damaged.
        if (i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === "")) return;
        throw new CliError(`${this.file}:${i + 1}: not a journal line; the journal is damaged (move the experiment directory aside and start again)`);
      }
      switch (event.event) {
        case "start":
          state.interrupted = event.point;
          state.restored = false;
          break;
        case "done":
          state.done.add(event.point);
          state.failed.delete(event.point);
          if (state.interrupted === event.point) state.interrupted = undefined;
          break;
        case "failed":
          state.failed.set(event.point, event.error);
          if (state.interrupted === event.point) state.interrupted = undefined;
          break;
        case "stopped":
          if (state.interrupted === event.point) state.interrupted = undefined;
          break;
        case "restored":
          state.restored = true;
          break;
      }
    });
    return state;
  }

  append(event: JournalEvent): void {
    const fd = fs.openSync(this.file, "a");
    try {
      fs.writeSync(fd, `${JSON.stringify(event)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}
