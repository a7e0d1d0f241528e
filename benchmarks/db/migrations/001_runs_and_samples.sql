-- One row per model, run id and repeat; the whole summary is kept as JSON beside the key figures.
CREATE TABLE runs (
  id bigserial PRIMARY KEY,
  model text NOT NULL,
  run_id text NOT NULL,
  repeat integer NOT NULL,
  board text,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  reads integer NOT NULL,
  bases bigint NOT NULL,
  bases_per_s double precision NOT NULL,
  median_identity double precision,
  joules_per_megabase double precision,
  summary jsonb NOT NULL,
  pushed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (model, run_id, repeat)
);

-- Telemetry of a run, one row per sample time.
CREATE TABLE telemetry_samples (
  run bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  time timestamptz NOT NULL,
  sample jsonb NOT NULL,
  PRIMARY KEY (run, time)
);
