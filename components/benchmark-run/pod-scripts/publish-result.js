#!/usr/bin/env node
// Writes a benchmark result (a summary, or a load report) into ConfigMap NAME in NAMESPACE through the
// Kubernetes API, with the pod's service account token (its Role allows configmaps
// create/get/update/patch in NAMESPACE only), under KEY (summary.json unless given).
// Usage: publish-result.js NAMESPACE NAME FILE [KEY]. Plain Node, no packages: the tools image has
// Node for the edgecall CLI, and curl cannot be counted on there.
"use strict";
const fs = require("fs");
const https = require("https");

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

function fail(message) {
  process.stderr.write(`edgecall publish-result: ${message}\n`);
  process.exit(1);
}

function request(method, path, body, contentType) {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT || "443";
  if (!host) fail("KUBERNETES_SERVICE_HOST is not set; this script runs inside a pod");
  const payload = Buffer.from(JSON.stringify(body), "utf8");
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host,
        port,
        method,
        path,
        ca: fs.readFileSync(`${SA_DIR}/ca.crt`),
        headers: {
          Authorization: `Bearer ${fs.readFileSync(`${SA_DIR}/token`, "utf8").trim()}`,
          "Content-Type": contentType,
          "Content-Length": payload.length,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode || 0, text }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function main() {
  const [namespace, name, summaryFile, key = "summary.json"] = process.argv.slice(2);
  if (!namespace || !name || !summaryFile) fail("usage: publish-result.js NAMESPACE NAME FILE [KEY]");
  let summary;
  try {
    summary = fs.readFileSync(summaryFile, "utf8");
    JSON.parse(summary);
  } catch (error) {
    fail(`${summaryFile} is not readable JSON: ${error.message}`);
  }
  const data = { [key]: summary };
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  const created = await request(
    "POST",
    base,
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { "app.kubernetes.io/part-of": "edgecall" } }, data },
    "application/json",
  );
  if (created.status === 201) return;
  if (created.status !== 409) fail(`creating ConfigMap ${namespace}/${name} failed with HTTP ${created.status}: ${created.text.slice(0, 300)}`);
  // A retried pod of the same Job finds its earlier result: replace the data.
  const patched = await request("PATCH", `${base}/${encodeURIComponent(name)}`, { data }, "application/merge-patch+json");
  if (patched.status !== 200) fail(`updating ConfigMap ${namespace}/${name} failed with HTTP ${patched.status}: ${patched.text.slice(0, 300)}`);
}

main().catch((error) => fail(error.message));
