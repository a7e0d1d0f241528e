import { escapeHtml } from "../escape-html";

/** What a chart is: its id on the page (`chart-<slug>`), its title and the caption saying how to read it. */
export type ChartSlug = "accuracy-throughput" | "energy-throughput" | "keep-up" | "power" | "concurrency" | "scaling" | "live";

export interface ChartInfo {
  slug: ChartSlug;
  title: string;
  caption: string;
}

/**
 * The page's contract for a chart: `<figure class="chart" id="chart-<slug>">` with a `<figcaption>`
 * and exactly one inline `<svg>`; with nothing to draw, `<figure class="chart no-data"
 * id="chart-<slug>">` holding `<p><title>: <why>.</p>`, the why in the words of its cause.
 */
export function figure(info: ChartInfo, svg: string | null, absent = "no data"): string {
  const id = `chart-${info.slug}`;
  if (svg === null) return `<figure class="chart no-data" id="${id}"><p>${escapeHtml(info.title)}: ${escapeHtml(absent)}.</p></figure>`;
  return `<figure class="chart" id="${id}"><figcaption><b>${escapeHtml(info.title)}.</b> ${escapeHtml(info.caption)}</figcaption>${svg}</figure>`;
}
