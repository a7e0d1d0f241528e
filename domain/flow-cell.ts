import { z } from "zod";

/** How fast a flow cell produces signal: every channel sampled at the same rate. */
export interface FlowCell {
  channels: number;
  sampleRateHz: number;
}

/** Named flow cells: a MinION (512 channels) on the R9.4.1 (4 kHz) and R10.4.1 (5 kHz) chemistries. */
export const FLOW_CELL_PRESETS: Readonly<Record<string, FlowCell>> = {
  "minion-r9": { channels: 512, sampleRateHz: 4000 },
  "minion-r10": { channels: 512, sampleRateHz: 5000 },
};

export const DEFAULT_FLOW_CELL: FlowCell = FLOW_CELL_PRESETS["minion-r9"];

/** The stack config's `benchmark.flowCell`; bounds are loose, they only catch typos and unit slips. */
export const flowCellSchema = z.strictObject({
  channels: z.number().int("channels must be a whole number").min(1, "channels must be at least 1").max(100_000, "channels: at most 100000 (a PromethION flow cell has 2675)"),
  sampleRateHz: z.number().positive("sampleRateHz must be positive").max(1_000_000, "sampleRateHz is in Hz: at most 1000000 (nanopore devices sample at 3 to 5 kHz)"),
});

/** Samples per second the flow cell produces: what a basecaller must sustain to keep up. */
export function flowCellRate(cell: FlowCell): number {
  return cell.channels * cell.sampleRateHz;
}

/** A readable name: the preset's, or CHANNELS x HZ. */
export function flowCellName(cell: FlowCell): string {
  const preset = Object.entries(FLOW_CELL_PRESETS).find(([, p]) => p.channels === cell.channels && p.sampleRateHz === cell.sampleRateHz);
  return preset !== undefined ? preset[0] : `${cell.channels} channels x ${cell.sampleRateHz} Hz`;
}

/** Parses `CHANNELS:HZ` or a preset name; an error message says which forms are accepted. */
export function parseFlowCell(text: string): FlowCell {
  const preset = FLOW_CELL_PRESETS[text];
  if (preset !== undefined) return preset;
  const forms = `CHANNELS:HZ (e.g. 512:4000) or one of ${Object.keys(FLOW_CELL_PRESETS).join(", ")}`;
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  if (match === null) throw new Error(`${JSON.stringify(text)} is not a flow cell; give ${forms}`);
  const parsed = flowCellSchema.safeParse({ channels: Number(match[1]), sampleRateHz: Number(match[2]) });
  if (!parsed.success) throw new Error(`${JSON.stringify(text)}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}
