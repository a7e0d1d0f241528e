// Whether the telemetry file's last sample is later than the end of the run's timed window
// (run.json's `end`): evaluate.sh waits on it so the copy it summarizes covers the whole window.
// Exit 0: covered. Exit 1: not yet (no file, no sample, or the last one too early), worth waiting
// for. Exit 2: run.json is unusable, which no wait mends. Each non-zero exit says why on stderr.
// Node's own modules only: /scripts has no node_modules.
// Usage: node telemetry-covers-run.js RUN_JSON TELEMETRY_JSONL
"use strict";
const fs = require("fs");

const [runJson, telemetry] = process.argv.slice(2);

function fail(status, message) {
  process.stderr.write(`telemetry-covers-run: ${message}\n`);
  process.exit(status);
}

let end;
try {
  end = Date.parse(JSON.parse(fs.readFileSync(runJson, "utf8")).end);
} catch (error) {
  fail(2, `${runJson}: cannot read the run's end (${error.message})`);
}
if (Number.isNaN(end)) fail(2, `${runJson}: "end" is not a time`);

let text = "";
try {
  text = fs.readFileSync(telemetry, "utf8");
} catch (error) {
  if (error.code !== "ENOENT") fail(2, `${telemetry}: cannot read (${error.code || error.message})`);
}
// The sidecar may be writing its last line right now: only complete lines count.
const complete = text.slice(0, text.lastIndexOf("\n") + 1).trim();
if (complete === "") fail(1, `${telemetry}: no sample yet`);
const lines = complete.split("\n");
let last;
try {
  last = Date.parse(JSON.parse(lines[lines.length - 1]).time);
} catch (error) {
  fail(2, `${telemetry}:${lines.length}: not a telemetry sample (${error.message})`);
}
if (!(last > end)) fail(1, `${telemetry}: the last sample (${lines[lines.length - 1].slice(0, 80)}) is not after the run's end ${new Date(end).toISOString()}`);
process.exit(0);
