/**
 * Turns the Kubernetes OpenAPI v2 spec (`api/openapi-spec/swagger.json` of the `k8s.io/kubernetes`
 * module) into one standalone, strict JSON schema per kind, named as kubeconform's
 * `{{ .ResourceKind }}_{{ .Group }}_{{ .ResourceAPIVersion }}.json` template expects (core kinds
 * have the version as their group). Strict: an object with declared properties accepts no others,
 * so a misspelt field fails validation instead of being ignored by the API server.
 *
 *   tsx test/manifests/generate-schemas.ts SWAGGER_JSON OUT_DIR
 */
import * as fs from "fs";
import * as path from "path";

type Schema = { [key: string]: unknown };
interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

function expand(schema: Schema, definitions: Record<string, Schema>, visiting: string[]): Schema {
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/definitions/", "");
    if (name === INT_OR_STRING) return { oneOf: [{ type: "string" }, { type: "integer" }] };
    if (name === QUANTITY) return { oneOf: [{ type: "string" }, { type: "number" }] };
    // Recursive types (JSONSchemaProps) are left open below their first level.
    if (visiting.includes(name)) return {};
    const target = definitions[name];
    if (target === undefined) throw new Error(`unknown definition ${name}`);
    return expand(target, definitions, [...visiting, name]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "description" || key.startsWith("x-kubernetes-") && key !== "x-kubernetes-preserve-unknown-fields") continue;
    if (key === "properties" && typeof value === "object" && value !== null) {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, prop]) => [name, expand(prop, definitions, visiting)]),
      );
    } else if ((key === "items" || key === "additionalProperties") && typeof value === "object" && value !== null) {
      out[key] = expand(value as Schema, definitions, visiting);
    } else if ((key === "allOf" || key === "oneOf" || key === "anyOf") && Array.isArray(value)) {
      out[key] = (value as Schema[]).map((item) => expand(item, definitions, visiting));
    } else {
      out[key] = value;
    }
  }
  if (out.format === "int-or-string") return { oneOf: [{ type: "string" }, { type: "integer" }] };
  if (out.properties !== undefined && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

export function schemaFileName(gvk: GroupVersionKind): string {
  return `${gvk.kind.toLowerCase()}_${gvk.group === "" ? gvk.version : gvk.group}_${gvk.version}.json`;
}

export function generateSchemas(swaggerFile: string, outDir: string): number {
  const spec = JSON.parse(fs.readFileSync(swaggerFile, "utf8")) as { definitions: Record<string, Schema> };
  fs.mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const [name, definition] of Object.entries(spec.definitions)) {
    const kinds = definition["x-kubernetes-group-version-kind"] as GroupVersionKind[] | undefined;
    if (kinds === undefined || kinds.length !== 1 || name.endsWith("List") || name.includes(".meta.v1.")) continue;
    const gvk = kinds[0];
    const schema = expand(definition, spec.definitions, [name]);
    const properties = schema.properties as Record<string, Schema>;
    properties.apiVersion = { type: "string", enum: [gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`] };
    properties.kind = { type: "string", enum: [gvk.kind] };
    schema.required = [...new Set([...((schema.required as string[] | undefined) ?? []), "apiVersion", "kind"])];
    fs.writeFileSync(path.join(outDir, schemaFileName(gvk)), JSON.stringify({ $schema: "http://json-schema.org/schema#", ...schema }));
    written += 1;
  }
  return written;
}

if (require.main === module) {
  const [swagger, outDir] = process.argv.slice(2);
  if (swagger === undefined || outDir === undefined) {
    process.stderr.write("usage: tsx test/manifests/generate-schemas.ts SWAGGER_JSON OUT_DIR\n");
    process.exit(2);
  }
  process.stdout.write(`${generateSchemas(swagger, outDir)} schemas written to ${outDir}\n`);
}
