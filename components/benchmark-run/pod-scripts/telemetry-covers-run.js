// Exits 0 once the telemetry file's last sample is later than the end of the run's timed window
// (run.json's `end`), 1 before that: evaluate.sh waits on it so the copy it summarizes covers the
// whole window. Node's own modules only: /scripts has no node_modules.
// Usage: node telemetry-covers-run.js RUN_JSON TELEMETRY_JSONL
"use strict";
const fs = require("fs");

const [runJson, telemetry] = process.argv.slice(2);
const end = Date.parse(JSON.parse(fs.readFileSync(runJson, "utf8")).end);
const lines = fs.readFileSync(telemetry, "utf8").trim().split("\n");
const last = Date.parse(JSON.parse(lines[lines.length - 1]).time);
process.exit(last > end ? 0 : 1);
