// Rewrites ./package.json for the tools image (images/tools/Dockerfile): what the `edgecall` CLI
// runs with, nothing else. Kept: every `dependencies` entry but those of the Pulumi program and its
// provider plugin only, which the image does not hold (the Pulumi SDKs `@pulumi/*`, and `ssh2`), and
// `type` (CommonJS, as the compiled CLI is). Dropped: devDependencies, scripts, bin, main. The Dockerfile then runs `npm install --package-lock-only`, which only prunes
// package-lock.json to match (no version changes; test/runner/images.test.ts checks), and `npm ci`
// installs exactly that.
"use strict";
const fs = require("fs");

const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
const programOnly = (name) => name.startsWith("@pulumi/") || name === "ssh2";
const dependencies = Object.fromEntries(Object.entries(pkg.dependencies ?? {}).filter(([name]) => !programOnly(name)));
const runtime = { name: pkg.name, version: pkg.version, private: true, type: pkg.type, engines: pkg.engines, dependencies };
fs.writeFileSync("package.json", `${JSON.stringify(runtime, null, 2)}\n`);
