/**
 * A DOM rendering of the @hubspot/ui-extensions components the app uses, for the local preview only: the real card
 * components are bundled against this module instead of HubSpot's remote renderer. An approximation of HubSpot's look.
 */
import { Children, createElement, isValidElement, type ReactElement, type ReactNode, useState } from "react";
import { BarChart, LineChart } from "./ui-charts.tsx";

export { BarChart, LineChart };

type P = { children?: ReactNode; testId?: string };
type Any = P & Record<string, unknown>;
const tid = (p: P) => (p.testId ? { "data-testid": p.testId } : {});
const cls = (...names: Array<string | false | undefined | null>) => names.filter(Boolean).join(" ");
const hrefOf = (h: unknown) => (typeof h === "string" ? h : ((h as { url?: string } | undefined)?.url ?? "#"));
const noEvent = { type: "click", bubbles: false, timeStamp: 0, id: "preview" };
const reactions = { openPanel() {}, closePanel() {}, openModal() {}, closeModal() {} };

export const Flex = (p: Any) => (
  <div
    {...tid(p)}
    className={cls(
      "hs-flex",
      `gap-${String(p.gap ?? "flush")}`,
      p.wrap ? "wrap" : "",
      `justify-${String(p.justify ?? "start")}`,
      `align-${String(p.align ?? "stretch")}`,
    )}
    style={{ flexDirection: p.direction === "column" ? "column" : "row" }}
  >
    {p.children}
  </div>
);
export const Box = (p: Any) => (
  <div
    {...tid(p)}
    style={{ flex: typeof p.flex === "number" ? p.flex : (p.flex as string | undefined), alignSelf: p.alignSelf as string | undefined }}
  >
    {p.children}
  </div>
);
export const Divider = (p: Any) => <hr {...tid(p)} className="hs-divider" />;
export const Heading = (p: Any) => (
  <h4 {...tid(p)} className="hs-heading">
    {p.children}
  </h4>
);
export const Text = (p: Any) => {
  const f = (p.format ?? {}) as { fontWeight?: string; italic?: boolean };
  const Tag = p.inline ? "span" : "p";
  return createElement(
    Tag,
    {
      ...tid(p),
      className: cls("hs-text", p.variant === "microcopy" && "micro", f.fontWeight && `w-${f.fontWeight}`, f.italic && "italic"),
    },
    p.children,
  );
};
export const Link = (p: Any) => (
  <a {...tid(p)} className="hs-link" href={hrefOf(p.href)} target="_blank" rel="noreferrer">
    {p.children}
  </a>
);
export const Button = (p: Any) => (
  <button
    {...tid(p)}
    type="button"
    className={cls("hs-button", String(p.variant ?? "secondary"), `size-${String(p.size ?? "md")}`)}
    disabled={Boolean(p.disabled)}
    onClick={() => (p.onClick as ((e: unknown, r: unknown) => void) | undefined)?.(noEvent, reactions)}
  >
    {p.children}
  </button>
);
export const LoadingButton = Button;
export const Alert = (p: Any) => (
  <div {...tid(p)} role="status" className={cls("hs-alert", String(p.variant ?? "info"))}>
    <strong>{String(p.title)}</strong>
    <div>{p.children}</div>
  </div>
);
export const Tag = (p: Any) => (
  <span {...tid(p)} className={cls("hs-tag", String(p.variant ?? "default"))}>
    {p.children}
  </span>
);
export const StatusTag = (p: Any) => (
  <span {...tid(p)} className={cls("hs-status", String(p.variant ?? "default"))}>
    <i />
    {p.children}
  </span>
);
export const Tile = (p: Any) => (
  <div {...tid(p)} className={cls("hs-tile", p.compact ? "compact" : "")}>
    {p.children}
  </div>
);
export const ScoreCircle = (p: Any) => {
  const score = Number(p.score);
  const color = score >= 80 ? "#00bda5" : score >= 50 ? "#f5c26b" : "#f2545b";
  return (
    <div {...tid(p)} className="hs-score" style={{ background: `conic-gradient(${color} ${score * 3.6}deg, #eaf0f6 0)` }}>
      <span>{score}</span>
    </div>
  );
};
export const ProgressBar = (p: Any) => {
  const pct = Math.max(0, Math.min(100, (100 * Number(p.value ?? 0)) / Number(p.maxValue ?? 100)));
  return (
    <div {...tid(p)} className="hs-progress">
      <div className="label">
        <span>{String(p.title ?? "")}</span>
        <span>{String(p.valueDescription ?? `${Math.round(pct)}%`)}</span>
      </div>
      <div className="track">
        <div className={cls("bar", String(p.variant ?? "success"))} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
};
export const LoadingSpinner = (p: Any) => (
  <div {...tid(p)} className="hs-spinner">
    <span className="wheel" />
    {p.showLabel ? <span>{String(p.label)}</span> : null}
  </div>
);
export const EmptyState = (p: Any) => (
  <div {...tid(p)} className="hs-empty">
    <div className="art">∅</div>
    <h4>{String(p.title ?? "Nothing here yet")}</h4>
    {p.children}
  </div>
);
export const ErrorState = (p: Any) => (
  <div {...tid(p)} className="hs-error">
    <div className="art">!</div>
    <h4>{String(p.title ?? "Something went wrong")}</h4>
    {p.children}
  </div>
);
export const DescriptionList = (p: Any) => (
  <dl {...tid(p)} className={cls("hs-dl", String(p.direction ?? "row"))}>
    {p.children}
  </dl>
);
export const DescriptionListItem = (p: Any) => (
  <div {...tid(p)} className="hs-dl-item">
    <dt>{String(p.label)}</dt>
    <dd>{p.children}</dd>
  </div>
);
export const Table = (p: Any) => (
  <table {...tid(p)} className={cls("hs-table", String(p.density ?? "default"))}>
    {p.children}
  </table>
);
export const TableHead = (p: Any) => <thead>{p.children}</thead>;
export const TableBody = (p: Any) => <tbody>{p.children}</tbody>;
export const TableFooter = (p: Any) => <tfoot>{p.children}</tfoot>;
export const TableRow = (p: Any) => <tr {...tid(p)}>{p.children}</tr>;
export const TableHeader = (p: Any) => <th style={{ textAlign: (p.align as "left") ?? "left" }}>{p.children}</th>;
export const TableCell = (p: Any) => (
  <td style={{ textAlign: (p.align as "left") ?? "left" }} colSpan={p.colSpan as number | undefined}>
    {p.children}
  </td>
);
export const Accordion = (p: Any) => (
  <details {...tid(p)} className="hs-accordion" open={Boolean(p.defaultOpen)}>
    <summary>{String(p.title)}</summary>
    <div>{p.children}</div>
  </details>
);
export const Tooltip = (p: Any) => <span className="hs-tooltip">{p.children}</span>;
export const Statistics = (p: Any) => (
  <div {...tid(p)} className="hs-stats">
    {p.children}
  </div>
);
export const StatisticsItem = (p: Any) => (
  <div {...tid(p)} className="hs-stat">
    <span className="label">{String(p.label)}</span>
    <span className="number">{String(p.number)}</span>
    {p.children}
  </div>
);
export const StatisticsTrend = (p: Any) => (
  <span
    className={cls("hs-trend", String(p.direction), String(p.color ?? ""))}
  >{`${p.direction === "increase" ? "▲" : "▼"} ${String(p.value)}`}</span>
);

function Field(p: Any & { control: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as a prop and sits inside the label
    <label {...tid(p)} className={cls("hs-field", p.error ? "invalid" : "")}>
      <span className="label">
        {String(p.label ?? "")}
        {p.required ? " *" : ""}
      </span>
      {p.description ? <span className="desc">{String(p.description)}</span> : null}
      {p.control}
      {p.error && p.validationMessage ? <span className="problem">{String(p.validationMessage)}</span> : null}
    </label>
  );
}
const call = (f: unknown, v: unknown) => (f as ((x: unknown) => void) | undefined)?.(v);
export const Input = (p: Any) => (
  <Field
    {...p}
    control={
      <input
        name={String(p.name)}
        value={String(p.value ?? "")}
        placeholder={p.placeholder as string}
        onChange={(e) => {
          call(p.onInput, e.target.value);
          call(p.onChange, e.target.value);
        }}
      />
    }
  />
);
export const TextArea = (p: Any) => (
  <Field
    {...p}
    control={
      <textarea
        name={String(p.name)}
        rows={Number(p.rows ?? 6)}
        value={String(p.value ?? "")}
        onChange={(e) => {
          call(p.onInput, e.target.value);
          call(p.onChange, e.target.value);
        }}
      />
    }
  />
);
export const Textarea = TextArea;
export const NumberInput = (p: Any) => (
  <Field
    {...p}
    control={
      <input
        type="number"
        name={String(p.name)}
        step="any"
        value={p.value === undefined ? "" : String(p.value)}
        onChange={(e) => call(p.onChange, Number(e.target.value))}
      />
    }
  />
);
export const Select = (p: Any) => (
  <Field
    {...p}
    control={
      <select name={String(p.name)} value={String(p.value ?? "")} onChange={(e) => call(p.onChange, e.target.value)}>
        {(p.options as Array<{ label: string; value: string }>).map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    }
  />
);
export const Toggle = (p: Any) => (
  <label {...tid(p)} className="hs-toggle">
    <input
      type="checkbox"
      checked={Boolean(p.checked)}
      readOnly={Boolean(p.readOnly)}
      onChange={(e) => call(p.onChange, e.target.checked)}
    />
    <span className="knob" />
    <span>{String(p.label)}</span>
  </label>
);
export const Checkbox = (p: Any) => (
  <label {...tid(p)} className="hs-checkbox">
    <input type="checkbox" checked={Boolean(p.checked)} onChange={(e) => call(p.onChange, e.target.checked)} />
    {p.children}
  </label>
);

export const Tab = (p: Any) => <>{p.children}</>;
export const Tabs = (p: Any) => {
  const tabs = Children.toArray(p.children).filter(isValidElement) as ReactElement<Any>[];
  const [selected, setSelected] = useState(String(p.defaultSelected ?? tabs[0]?.props.tabId ?? ""));
  const current = tabs.find((t) => String(t.props.tabId) === selected) ?? tabs[0];
  return (
    <div {...tid(p)} className="hs-tabs">
      <div className="bar" role="tablist">
        {tabs.map((t) => (
          <button
            key={String(t.props.tabId)}
            type="button"
            role="tab"
            aria-selected={String(t.props.tabId) === selected}
            onClick={() => {
              setSelected(String(t.props.tabId));
              call(p.onSelectedChange, t.props.tabId);
            }}
          >
            {String(t.props.title)}
          </button>
        ))}
      </div>
      <div className="panel">{current}</div>
    </div>
  );
};

/** `hubspot.extend` is never called in the preview (entry files are not bundled); `fetch` is not available. */
export const hubspot = {
  extend: () => undefined,
  fetch: () => Promise.reject(new Error("hubspot.fetch is not available in the local preview")),
};
