/** SVG stand-ins for HubSpot's BarChart and LineChart in the local preview: same props, simpler drawing. */
type Row = Record<string, string | number>;
type ChartProps = {
  data: Row[] | { data: Row[] };
  axes: { x: { field: string; label?: string }; y: { field: string; label?: string }; options?: { groupFieldByColor?: string } };
  options?: { title?: string; showLegend?: boolean };
  testId?: string;
};

const COLORS = ["#ff7a59", "#00a4bd", "#7c98b6", "#f5c26b", "#00bda5", "#6a78d1"];
const W = 560;
const H = 220;
const PAD = { l: 44, r: 12, t: 12, b: 36 };

function series(p: ChartProps) {
  const rows = Array.isArray(p.data) ? p.data : p.data.data;
  const group = p.axes.options?.groupFieldByColor;
  const xs = [...new Set(rows.map((r) => String(r[p.axes.x.field])))];
  const names = group ? [...new Set(rows.map((r) => String(r[group])))] : [p.axes.y.label ?? p.axes.y.field];
  const value = (x: string, name: string) => {
    const row = rows.find((r) => String(r[p.axes.x.field]) === x && (!group || String(r[group]) === name));
    return row ? Number(row[p.axes.y.field]) : 0;
  };
  const max = Math.max(1, ...xs.flatMap((x) => names.map((n) => value(x, n))));
  return { xs, names, value, max };
}

function Frame({ p, names, max, children }: { p: ChartProps; names: string[]; max: number; children: React.ReactNode }) {
  const ticks = [0, 0.5, 1].map((f) => ({ y: PAD.t + (1 - f) * (H - PAD.t - PAD.b), v: Math.round(max * f * 10) / 10 }));
  return (
    <figure className="hs-chart" data-testid={p.testId}>
      {p.options?.title && <figcaption>{p.options.title}</figcaption>}
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={p.options?.title ?? "chart"}>
        {ticks.map((t) => (
          <g key={t.y}>
            <line x1={PAD.l} x2={W - PAD.r} y1={t.y} y2={t.y} stroke="#eaf0f6" />
            <text x={PAD.l - 6} y={t.y + 4} textAnchor="end" fontSize="10" fill="#516f90">
              {t.v}
            </text>
          </g>
        ))}
        {children}
      </svg>
      {p.options?.showLegend !== false && names.length > 1 && (
        <div className="legend">
          {names.map((n, i) => (
            <span key={n}>
              <i style={{ background: COLORS[i % COLORS.length] }} />
              {n}
            </span>
          ))}
        </div>
      )}
    </figure>
  );
}

const yOf = (v: number, max: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);

export function BarChart(p: ChartProps) {
  const { xs, names, value, max } = series(p);
  const slot = (W - PAD.l - PAD.r) / Math.max(1, xs.length);
  const bar = (slot * 0.8) / names.length;
  return (
    <Frame p={p} names={names} max={max}>
      {xs.map((x, i) => (
        <g key={x}>
          {names.map((n, j) => {
            const v = value(x, n);
            return (
              <rect
                key={n}
                x={PAD.l + i * slot + slot * 0.1 + j * bar}
                y={yOf(v, max)}
                width={bar - 2}
                height={H - PAD.b - yOf(v, max)}
                fill={COLORS[j % COLORS.length]}
              />
            );
          })}
          <text x={PAD.l + i * slot + slot / 2} y={H - PAD.b + 14} textAnchor="middle" fontSize="10" fill="#33475b">
            {x.length > 12 ? `${x.slice(0, 11)}…` : x}
          </text>
        </g>
      ))}
    </Frame>
  );
}

export function LineChart(p: ChartProps) {
  const { xs, names, value, max } = series(p);
  const step = (W - PAD.l - PAD.r) / Math.max(1, xs.length - 1);
  const every = Math.ceil(xs.length / 8);
  return (
    <Frame p={p} names={names} max={max}>
      {names.map((n, j) => (
        <polyline
          key={n}
          fill="none"
          stroke={COLORS[j % COLORS.length]}
          strokeWidth="2"
          points={xs.map((x, i) => `${PAD.l + i * step},${yOf(value(x, n), max)}`).join(" ")}
        />
      ))}
      {xs.map((x, i) =>
        i % every === 0 ? (
          <text key={x} x={PAD.l + i * step} y={H - PAD.b + 14} textAnchor="middle" fontSize="10" fill="#33475b">
            {x.slice(5)}
          </text>
        ) : null,
      )}
    </Frame>
  );
}
