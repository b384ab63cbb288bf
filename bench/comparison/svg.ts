/** A grouped bar chart as inline SVG: one group per case, one bar per series; the value axis always includes 0. */

export interface BarGroup {
  readonly label: string;
  /** One value per series, in the series' order; undefined draws no bar. */
  readonly values: readonly (number | undefined)[];
}

export interface BarChart {
  readonly title: string;
  readonly series: readonly string[];
  readonly groups: readonly BarGroup[];
}

const COLORS = ["#1b7f5b", "#c0392b", "#e67e22", "#8e44ad", "#2c6fbb", "#7f8c8d"];
const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 64;
const BOTTOM = 36;
const TOP = 12;

export const escapeXml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Round tick steps (1, 2, 5 × 10^n) so that about five ticks cover the range. */
function ticks(low: number, high: number): number[] {
  const span = high - low || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const values: number[] = [];
  for (let value = Math.floor(low / step) * step; value <= high + step / 2; value += step) values.push(Number(value.toPrecision(12)));
  return values;
}

const format = (value: number): string => (Math.abs(value) >= 1000 ? value.toLocaleString("en-US", { maximumFractionDigits: 0 }) : String(Number(value.toPrecision(4))));

export function barChartSvg(chart: BarChart): string {
  const all = chart.groups.flatMap((group) => group.values.filter((value): value is number => value !== undefined && Number.isFinite(value)));
  const axis = ticks(Math.min(0, ...all), Math.max(0, ...all));
  const low = axis[0] ?? 0;
  const high = axis.at(-1) ?? 1;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (value: number): number => TOP + plotHeight * (1 - (value - low) / (high - low || 1));
  const groupWidth = (WIDTH - LEFT) / Math.max(1, chart.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, chart.series.length);
  const parts: string[] = [];
  for (const tick of axis) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH}" y1="${y(tick)}" y2="${y(tick)}" stroke="${tick === 0 ? "#333" : "#ddd"}"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${format(tick)}</text>`);
  }
  chart.groups.forEach((group, groupIndex) => {
    const x0 = LEFT + groupIndex * groupWidth + groupWidth * 0.1;
    group.values.forEach((value, seriesIndex) => {
      if (value === undefined || !Number.isFinite(value)) return;
      const top = y(Math.max(0, value));
      const height = Math.abs(y(value) - y(0));
      const x = x0 + seriesIndex * barWidth;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${COLORS[seriesIndex % COLORS.length]}"><title>${escapeXml(`${chart.series[seriesIndex] ?? ""} · ${group.label}: ${format(value)}`)}</title></rect>`,
      );
    });
    parts.push(`<text x="${(x0 + groupWidth * 0.4).toFixed(1)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11">${escapeXml(group.label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(chart.title)}">${parts.join("")}</svg>`;
}

export function legendHtml(series: readonly string[]): string {
  return series
    .map((name, index) => `<span class="key"><span class="swatch" style="background:${COLORS[index % COLORS.length]}"></span>${escapeXml(name)}</span>`)
    .join(" ");
}
