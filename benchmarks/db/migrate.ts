import * as fs from "fs";
import * as path from "path";
import type { Client } from "pg";
import { besideModule } from "../../domain/project-files";

const MIGRATIONS = besideModule(__dirname, "migrations");

/** The migrations shipped, in order: `NNN_name.sql`. */
export function migrations(): Array<{ version: number; name: string; sql: string }> {
  return fs
    .readdirSync(MIGRATIONS)
    .filter((file) => /^\d{3}_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file, sql: fs.readFileSync(path.join(MIGRATIONS, file), "utf8") }));
}

/**
 * Applies the migrations the database lacks, each in its own transaction with its version row, so
 * running it again applies nothing. Returns the names applied.
 */
export async function migrate(client: Client): Promise<string[]> {
  await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
  // One migrator at a time: two Jobs starting together must not both apply a migration.
  await client.query("SELECT pg_advisory_lock(4242001)");
  try {
    const done = new Set((await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const migration of migrations()) {
      if (done.has(migration.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock(4242001)");
  }
}
