/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

export interface Series {
  label: string;
  points: Array<{ x: number; y: number; title?: string }>;
  /** Draw a line through the points (in x order); otherwise markers only. */
  line: boolean;
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 16, top: 16, bottom: 48 };
const COLOURS = ["#1b6ca8", "#d1495b", "#66a182", "#edae49", "#7b4b94", "#2e4057", "#00798c", "#8d6a9f"];

function extent(values: number[]): [number, number] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? [min - 1, max + 1] : [min - (max - min) * 0.05, max + (max - min) * 0.05];
}

/** A self-contained SVG chart with axes, ticks, markers and a legend; no script, no fonts fetched. */
export function chart(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<p>${escapeHtml(title)}: no data.</p>`;
  const [x0, x1] = extent(all.map((p) => p.x));
  const [y0, y1] = extent(all.map((p) => p.y));
  const sx = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * (WIDTH - MARGIN.left - MARGIN.right);
  const sy = (y: number): number => HEIGHT - MARGIN.bottom - ((y - y0) / (y1 - y0)) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const ticks = (a: number, b: number): number[] => Array.from({ length: 5 }, (_v, i) => a + ((b - a) * i) / 4);
  const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<line x1="${MARGIN.left}" y1="${HEIGHT - MARGIN.bottom}" x2="${WIDTH - MARGIN.right}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${HEIGHT - MARGIN.bottom}" stroke="#333"/>`,
    ...ticks(x0, x1).map((v) => `<text x="${sx(v)}" y="${HEIGHT - MARGIN.bottom + 16}" font-size="11" text-anchor="middle">${fmt(v)}</text>`),
    ...ticks(y0, y1).map((v) => `<text x="${MARGIN.left - 6}" y="${sy(v) + 4}" font-size="11" text-anchor="end">${fmt(v)}</text>`),
    `<text x="${(WIDTH + MARGIN.left) / 2}" y="${HEIGHT - 8}" font-size="12" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text x="14" y="${HEIGHT / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${HEIGHT / 2})">${escapeHtml(yLabel)}</text>`,
  ];
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (s.line && sorted.length > 1) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${sorted.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}"/>`);
    }
    for (const p of s.points) {
      parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="${colour}"><title>${escapeHtml(p.title ?? s.label)}</title></circle>`);
    }
    parts.push(`<rect x="${WIDTH - 180}" y="${MARGIN.top + i * 16}" width="10" height="10" fill="${colour}"/>`);
    parts.push(`<text x="${WIDTH - 164}" y="${MARGIN.top + i * 16 + 9}" font-size="11">${escapeHtml(s.label)}</text>`);
  });
  parts.push("</svg>");
  return `<figure><figcaption>${escapeHtml(title)}</figcaption>${parts.join("")}</figure>`;
}
