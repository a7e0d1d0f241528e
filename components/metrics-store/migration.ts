import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import { METRICS_NAME, URL_KEY } from "./postgres";
import { projectRoot } from "../../domain/project-files";

export const MIGRATIONS_DIR = path.join(projectRoot(__dirname), "benchmarks", "db", "migrations");

/**
 * A short hash of the schema migrations. The migration Job's name carries it: a Job's pod spec
 * cannot change, so a new migration gets a new Job, and unchanged migrations leave the Job alone.
 */
export function migrationsHash(dir: string = MIGRATIONS_DIR): string {
  const hash = createHash("sha256");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    hash.update(file).update("\0").update(fs.readFileSync(path.join(dir, file))).update("\0");
  }
  return hash.digest("hex").slice(0, 8);
}

/** The Job that applies the schema with `edgecall db migrate` (idempotent: applied migrations are recorded). */
export function migrationJobSpec(toolsImage: k8s.types.input.core.v1.Container["image"]): k8s.types.input.batch.v1.JobSpec {
  return {
    // The database may still be starting when the Job does; retries cover that.
    backoffLimit: 6,
    template: {
      spec: {
        restartPolicy: "OnFailure",
        securityContext: { runAsNonRoot: true, runAsUser: 10001 },
        containers: [
          {
            name: "migrate",
            image: toolsImage,
            command: ["edgecall", "db", "migrate"],
            env: [{ name: "EDGECALL_DB_URL", valueFrom: { secretKeyRef: { name: METRICS_NAME, key: URL_KEY } } }],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
      },
    },
  };
}
