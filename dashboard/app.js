// The warta dashboard: reads one export folder (docs/exports.md) and draws four panels.
import { PALETTE, el, horizontalBars, parseCSV, safeHref, stackedBars } from "./charts.js";

const SCHEMA_VERSION = 1;
const MAX_DAYS = 60;        // the articles chart shows at most this many latest days
const TOP_ENTITIES = 10;
const LATEST_STORIES = 8;
const DAY_MS = 86400000;

const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n || 0).toLocaleString("en");
const when = (iso) => (iso ? `${iso.slice(0, 16).replace("T", " ")}` : "–");
const dayOf = (iso) => (iso || "").slice(0, 10);
const plural = (n, word) => `${fmt(n)} ${word}${Number(n) === 1 ? "" : "s"}`;

function dataBase() {
  const asked = new URLSearchParams(window.location.search).get("data") || "data/";
  return asked.endsWith("/") ? asked : `${asked}/`;
}

async function fetchText(base, name) {
  const response = await fetch(new URL(name, new URL(base, window.location.href)),
                               { cache: "no-store" });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response.text();
}

async function loadExport(base) {
  const manifest = JSON.parse(await fetchText(base, "manifest.json"));
  if (manifest.schema_version !== SCHEMA_VERSION) {
    throw new Error(`this dashboard reads export schema ${SCHEMA_VERSION}, the export is `
                    + `schema ${manifest.schema_version}`);
  }
  const [daily, stories, entities, sources] = await Promise.all([
    fetchText(base, "articles_daily.csv").then(parseCSV),
    fetchText(base, "stories.json").then((t) => JSON.parse(t).stories),
    fetchText(base, "entities_daily.csv").then(parseCSV),
    fetchText(base, "sources.json").then((t) => JSON.parse(t).sources),
  ]);
  return { manifest, daily, stories, entities, sources };
}

function empty(container, message, command) {
  const tag = container.tagName === "OL" || container.tagName === "UL" ? "li" : "p";
  container.replaceChildren(el(tag, { class: "empty" }, message,
                               command ? el("br") : null, command ? el("code", {}, command) : null));
}

function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function sourceColors(sources, daily) {
  const names = [...new Set([...sources.map((s) => s.source),
                             ...daily.map((d) => d.source)])].sort();
  return new Map(names.map((n, i) => [n, PALETTE[i % PALETTE.length]]));
}

function renderCards(data) {
  const { manifest, entities, sources } = data;
  const crawl = manifest.last_crawl;
  const entityCount = new Set(entities.map((e) => e.entity_id)).size;
  const cards = [
    ["articles", fmt(manifest.rows.articles)],
    ["sources", fmt(sources.length)],
    ["stories", fmt(manifest.rows.stories)],
    ["entities", fmt(entityCount)],
    ["last crawl", crawl ? `${crawl.status} · ${when(crawl.started_at)}` : "none yet"],
  ];
  $("cards").replaceChildren(...cards.flatMap(([k, v]) => [
    el("div", { class: "card", "data-card": k }, el("dt", {}, k), el("dd", {}, v))]));
  $("summary").textContent = `Export of ${manifest.archive || "the archive"}, generated `
    + `${when(manifest.generated_at)} UTC (schema ${manifest.schema_version}).`;
  if (manifest.mode === "incremental") {
    showNotice(`Incremental export: only articles added or changed since ${when(manifest.since)}`
               + " are included.");
  }
}

function renderArticles({ daily }, colors) {
  const chart = $("articles-chart");
  if (!daily.length) {
    $("articles-legend").replaceChildren();
    $("articles-range").textContent = "";
    empty(chart, "No articles in this export yet. Crawl, then export again:",
          "warta crawl && warta export --out dashboard/data");
    return;
  }
  const last = daily.reduce((m, d) => (d.day > m ? d.day : m), "");
  const first = daily.reduce((m, d) => (d.day < m ? d.day : m), last);
  const start = first > addDays(last, 1 - MAX_DAYS) ? first : addDays(last, 1 - MAX_DAYS);
  const categories = [];
  for (let d = start; d <= last; d = addDays(d, 1)) categories.push(d);
  const index = new Map(categories.map((d, i) => [d, i]));
  const perSource = new Map();
  for (const d of daily) {
    const slot = index.get(d.day);
    if (slot === undefined) continue;
    if (!perSource.has(d.source)) perSource.set(d.source, new Array(categories.length).fill(0));
    perSource.get(d.source)[slot] += Number(d.articles);
  }
  const series = [...perSource.keys()].sort().map((name) => ({
    name, color: colors.get(name), values: perSource.get(name) }));
  chart.replaceChildren(stackedBars({ categories, series }, { label: (d) => d.slice(5) }));
  $("articles-range").textContent = `${start} to ${last} (UTC publication day)`;
  $("articles-legend").replaceChildren(...series.map((s) => el("li",
    { "data-source": s.name, "data-total": s.values.reduce((x, y) => x + y, 0) },
    el("span", { class: "swatch", "data-color": s.color }), s.name,
    el("span", { class: "count" }, fmt(s.values.reduce((x, y) => x + y, 0))))));
  // Swatch colours come from the fixed palette; set through the CSSOM (allowed by the CSP).
  for (const sw of $("articles-legend").querySelectorAll(".swatch")) {
    sw.style.background = sw.dataset.color;
  }
}

function renderEntities({ entities }) {
  const chart = $("entities-chart");
  if (!entities.length) {
    $("entities-period").textContent = "";
    empty(chart, "No entity mentions in this export (they appear once the entity stage has run).");
    return;
  }
  // "This week" is the 7 days ending on the newest day in the export, so an old export
  // still shows its own trend; the previous week is compared.
  const lastDay = entities.reduce((m, e) => (e.day > m ? e.day : m), "");
  const weekStart = addDays(lastDay, -6), prevStart = addDays(lastDay, -13);
  const totals = new Map();
  for (const e of entities) {
    if (e.day < prevStart) continue;
    const t = totals.get(e.entity_id) || { name: e.name, type: e.type, now: 0, before: 0 };
    if (e.day >= weekStart) t.now += Number(e.mentions); else t.before += Number(e.mentions);
    totals.set(e.entity_id, t);
  }
  const top = [...totals.values()].filter((t) => t.now > 0)
    .sort((a, b) => b.now - a.now || (b.now - b.before) - (a.now - a.before)
                    || a.name.localeCompare(b.name))
    .slice(0, TOP_ENTITIES);
  $("entities-period").textContent = `Mentions ${weekStart} to ${lastDay}, against the 7 days before`;
  if (!top.length) {
    empty(chart, "No entity mentions in the latest week of this export.");
    return;
  }
  chart.replaceChildren(horizontalBars(top.map((t) => {
    const change = t.now - t.before;
    let note = "new", noteClass = "up";
    if (t.before) {
      note = change === 0 ? "±0" : `${change > 0 ? "▲ +" : "▼ "}${change}`;
      noteClass = change > 0 ? "up" : change < 0 ? "down" : "";
    }
    return { label: t.name, sub: t.type, value: t.now, note, noteClass };
  })));
}

function renderStories({ stories }, colors) {
  const list = $("stories-list");
  if (!stories.length) {
    $("stories-note").textContent = "";
    empty(list, "No stories in this export (they appear once the story stage has run).");
    return;
  }
  const latest = [...stories].sort((a, b) => String(b.last_updated_at || "")
    .localeCompare(String(a.last_updated_at || ""))).slice(0, LATEST_STORIES);
  $("stories-note").textContent = `${latest.length} most recently updated of ${fmt(stories.length)}`;
  list.replaceChildren(...latest.map((s) => {
    const first = (s.articles || []).find((a) => a.id === s.first_article_id) || (s.articles || [])[0];
    const href = first ? safeHref(first.url) : null;
    const title = href
      ? el("a", { href, rel: "noopener noreferrer", target: "_blank", class: "title" }, s.title || "(untitled)")
      : el("span", { class: "title" }, s.title || "(untitled)");
    const chips = (s.outlets || []).map((o) => {
      const chip = el("span", { class: "chip", "data-outlet": o }, o);
      chip.style.borderColor = colors.get(o) || "#9ca3af";
      return chip;
    });
    return el("li", { class: "story", "data-story": s.id, "data-outlets": s.outlet_count },
      title,
      el("div", { class: "meta muted" },
         `${plural(s.outlet_count, "outlet")} · ${plural(s.article_count, "article")} · first `,
         el("strong", {}, s.first_source || "–"), ` ${when(s.first_seen_at)} · updated ${when(s.last_updated_at)}`),
      el("div", { class: "chips" }, ...chips));
  }));
}

const HEALTH_CLASSES = new Set(["ok", "degraded", "failed"]);

function renderSources({ sources }, colors) {
  const body = $("sources-table").querySelector("tbody");
  if (!sources.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 7 },
      el("p", { class: "empty" }, "No sources in this archive yet."))));
    return;
  }
  body.replaceChildren(...sources.map((s) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colors.get(s.source) || "#9ca3af";
    const cls = HEALTH_CLASSES.has(s.health) ? s.health : "unknown";
    const failing = s.consecutive_failures > 1 ? ` (${s.consecutive_failures}× in a row)` : "";
    const home = safeHref(s.homepage);
    return el("tr", { "data-source": s.source, "data-health": s.health },
      el("td", {}, swatch, home ? el("a", { href: home, rel: "noopener noreferrer", target: "_blank" }, s.source) : s.source),
      el("td", {}, s.lang || "–"),
      el("td", { class: "num" }, fmt(s.articles)),
      el("td", { class: "num" }, fmt(s.articles_7d)),
      el("td", {}, when(s.newest_article)),
      el("td", {}, when(s.last_crawl)),
      el("td", {}, el("span", { class: `badge ${cls}` }, `${s.health}${failing}`)));
  }));
}

function showNotice(message, kind = "info") {
  const notice = $("notice");
  notice.textContent = message;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
}

async function main() {
  const base = dataBase();
  let data;
  try {
    data = await loadExport(base);
  } catch (error) {
    document.body.dataset.state = "missing";
    $("summary").textContent = "No export to show.";
    showNotice(`Could not read an export from ${base} (${error.message}). Write one with `
               + "`warta export --out dashboard/data` and serve this folder over HTTP.", "error");
    for (const id of ["articles-chart", "entities-chart", "stories-list"]) {
      empty($(id), "Nothing to show without an export.");
    }
    return;
  }
  const colors = sourceColors(data.sources, data.daily);
  renderCards(data);
  renderArticles(data, colors);
  renderEntities(data);
  renderStories(data, colors);
  renderSources(data, colors);
  document.body.dataset.state = data.manifest.rows.articles ? "ready" : "empty";
}

main();
