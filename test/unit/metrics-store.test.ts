import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MIGRATIONS_DIR, datasourceYaml, migrationsHash } from "../../components/metrics-store";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-migrations-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("metrics store pieces", () => {
  it("names the migration Job after the migrations: the same files the same hash, any change a new one", () => {
    fs.cpSync(MIGRATIONS_DIR, tmp, { recursive: true });
    const original = migrationsHash(tmp);
    expect(original).toMatch(/^[0-9a-f]{8}$/);
    expect(migrationsHash(MIGRATIONS_DIR)).toBe(original);
    fs.writeFileSync(path.join(tmp, "README.txt"), "not a migration");
    expect(migrationsHash(tmp)).toBe(original);
    fs.writeFileSync(path.join(tmp, "002_more.sql"), "ALTER TABLE runs ADD COLUMN note text;\n");
    const added = migrationsHash(tmp);
    expect(added).not.toBe(original);
    fs.renameSync(path.join(tmp, "002_more.sql"), path.join(tmp, "003_more.sql"));
    expect(migrationsHash(tmp)).not.toBe(added);
  });

  it("gives Grafana the store's in-cluster address and the password only by reference", () => {
    const config = parse(datasourceYaml("edgecall")) as { datasources: Array<{ url: string; user: string; secureJsonData: { password: string } }> };
    expect(config.datasources[0]).toMatchObject({ url: "edgecall-metrics.edgecall.svc.cluster.local:5432", user: "edgecall" });
    expect(config.datasources[0].secureJsonData.password).toBe("$EDGECALL_DB_PASSWORD");
  });
});
