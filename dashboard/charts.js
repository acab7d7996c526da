// Plain SVG charts and DOM helpers for the warta dashboard: no library, no network.
// Every piece of data reaches the page through textContent or an attribute, never as markup.

const SVG_NS = "http://www.w3.org/2000/svg";

export const PALETTE = ["#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed",
                        "#0891b2", "#65a30d", "#dc2626", "#4b5563", "#ca8a04"];

/** An HTML element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  node.append(...children.filter((c) => c !== null && c !== undefined)
                         .map((c) => (c instanceof Node ? c : String(c))));
  return node;
}

/** An SVG element with attributes and children. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  node.append(...children.filter((c) => c !== null && c !== undefined)
                         .map((c) => (c instanceof Node ? c : String(c))));
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
}

/** Only http(s) links from the data are made clickable (no javascript: or data: URLs). */
export function safeHref(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Parse RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into objects by header. */
export function parseCSV(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  const header = rows.shift() || [];
  return rows.filter((r) => r.length === header.length)
             .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function niceStep(max, ticks) {
  const raw = Math.max(max, 1) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return Math.max(1, step);
}

/**
 * Stacked bars: one bar per category (x), one segment per series.
 * data: {categories: [..], series: [{name, color, values: [..]}]}
 */
export function stackedBars(data, { width = 960, height = 280, label = (c) => c } = {}) {
  const m = { top: 12, right: 12, bottom: 34, left: 40 };
  const w = width - m.left - m.right, h = height - m.top - m.bottom;
  const totals = data.categories.map((_, i) =>
    data.series.reduce((sum, s) => sum + s.values[i], 0));
  const step = niceStep(Math.max(0, ...totals), 4);
  const top = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const y = (v) => m.top + h - (v / top) * h;
  const band = w / Math.max(1, data.categories.length);
  const barW = Math.min(48, Math.max(2, band * 0.72));
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
                            class: "stacked", "aria-label": "articles per day" });
  for (let v = 0; v <= top; v += step) {
    root.append(svg("line", { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v),
                              class: "grid" }),
                svg("text", { x: m.left - 6, y: y(v) + 4, class: "tick", "text-anchor": "end",
                              text: v }));
  }
  const every = Math.ceil(data.categories.length / 14);
  data.categories.forEach((cat, i) => {
    const x = m.left + i * band + (band - barW) / 2;
    let base = 0;
    for (const s of data.series) {
      const v = s.values[i];
      if (!v) continue;
      root.append(svg("rect", {
        x, width: barW, y: y(base + v), height: y(base) - y(base + v), fill: s.color,
        class: "bar", "data-series": s.name, "data-category": cat, "data-count": v,
      }, svg("title", { text: `${cat} · ${s.name}: ${v}` })));
      base += v;
    }
    if (i % every === 0) {
      root.append(svg("text", { x: x + barW / 2, y: height - m.bottom + 16, class: "tick",
                                "text-anchor": "middle", text: label(cat) }));
    }
  });
  root.append(svg("line", { x1: m.left, x2: width - m.right, y1: y(0), y2: y(0),
                            class: "axis" }));
  return root;
}

/**
 * Horizontal bars with a label, the value and a note (e.g. the change) per row.
 * rows: [{label, sub, value, note, noteClass}]
 */
export function horizontalBars(rows, { width = 460, rowHeight = 26 } = {}) {
  const labelW = 190, valueW = 92;
  const height = rows.length * rowHeight + 4;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const barMax = width - labelW - valueW;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
                            class: "hbars", "aria-label": "trending entities" });
  rows.forEach((r, i) => {
    const y = i * rowHeight + 2;
    const label = r.label.length > 18 ? `${r.label.slice(0, 17)}…` : r.label;
    const g = svg("g", { class: "entity-row", "data-name": r.label, "data-value": r.value },
      svg("title", { text: `${r.label} (${r.sub}): ${r.value} mentions, ${r.note}` }),
      svg("text", { x: 0, y: y + rowHeight * 0.62, class: "label", text: label }),
      svg("text", { x: labelW - 8, y: y + rowHeight * 0.62, class: "type",
                    "text-anchor": "end", text: r.sub }),
      svg("rect", { x: labelW, y: y + 4, height: rowHeight - 9, rx: 2, class: "hbar",
                    width: Math.max(2, (r.value / max) * barMax) }),
      svg("text", { x: labelW + Math.max(2, (r.value / max) * barMax) + 6,
                    y: y + rowHeight * 0.62, class: "value", text: r.value }),
      svg("text", { x: width - 2, y: y + rowHeight * 0.62, "text-anchor": "end",
                    class: `change ${r.noteClass || ""}`, text: r.note }));
    root.append(g);
  });
  return root;
}
