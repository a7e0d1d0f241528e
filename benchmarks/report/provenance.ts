import type { Summary } from "../../domain/summary";

/** A provenance item shown for every run; `value` is null when the summary does not have it. */
export interface ProvenanceItem {
  label: string;
  value: string | null;
}

/**
 * What a run's figures depend on, in the page's order. The edgecall version is
 * `framework_versions.edgecall`, which summarize records.
 */
export function provenanceItems(summary: Summary): ProvenanceItem[] {
  const p = summary.provenance;
  return [
    { label: "image digest", value: p.image_digest },
    { label: "upstream commit", value: upstreamValue(p) },
    { label: "weights sha256", value: weightsValue(p) },
    { label: "L4T release", value: p.l4t_release },
    { label: "power mode", value: p.power_mode },
    { label: "jetson_clocks", value: p.jetson_clocks === null ? null : String(p.jetson_clocks) },
    { label: "dataset manifest sha256", value: p.dataset_manifest_sha256 },
    { label: "edgecall version", value: p.framework_versions.edgecall ?? null },
    { label: "engine", value: engineValue(p) },
  ];
}

/** The upstream commit; for a stand-in (whose network has no upstream), what ran instead, not a gap. */
function upstreamValue(p: Summary["provenance"]): string | null {
  if (p.upstream_commit === null && p.stand_in !== undefined) return `none: the ${p.stand_in} network stood in for the model`;
  return p.upstream_commit;
}

/** The engine, with its artifact and how it compared with the model it came from; torch where none was recorded. */
function engineValue(p: Summary["provenance"]): string {
  const engine = p.engine ?? "torch";
  if (engine === "torch") return "torch";
  const parity = p.engine_parity === undefined ? "" : `, decoded identity ${p.engine_parity.identity.toFixed(4)} to fp32 (floor ${p.engine_parity.floor})`;
  const artifact = p.engine_artifact_sha256 === undefined ? "" : `, artifact ${p.engine_artifact_sha256.slice(0, 12)}`;
  const build = p.engine_build_s === undefined ? "" : `, made in ${p.engine_build_s.toFixed(1)} s`;
  return `${engine}${artifact}${parity}${build}`;
}

/** The weights' digest, saying whether the runner verified it against a pin where the summary tells. */
function weightsValue(p: Summary["provenance"]): string | null {
  if (p.weights_sha256 === null || p.weights_verified === undefined) return p.weights_sha256;
  return `${p.weights_sha256} (${p.weights_verified ? "verified against its pin" : "not pinned"})`;
}

/** The labels of the items a run lacks; empty when its provenance is complete. */
export function missingProvenance(summary: Summary): string[] {
  return provenanceItems(summary).filter((i) => i.value === null).map((i) => i.label);
}
