// Afkar jury calculator: the page around the WebAssembly engine.
//
// Rules this file keeps, and why:
// - Every score, contribution, total and aggregate shown is a string the
//   engine returned. JavaScript numbers are binary floats; the engine is
//   exact, and the page must never disagree with the published result.
//   The only numeric work here is drawing bar widths.
// - User data (titles, ids, labels, file names, engine messages) reaches
//   the page through textContent and createElement only, never innerHTML.
// - Dataset text the user gave is passed to the engine as it is, never
//   through JSON.parse + JSON.stringify, which would round decimals written
//   as JSON numbers. Text is parsed here only to read ids, titles and labels,
//   or after the engine has rewritten it with every decimal as a string.
// - All mutable state lives in `app`; the DOM is rendered from it.

import { LANGUAGES, RTL, format, preferredLanguage, regionName, tourIndex } from "./i18n.js";

/** localStorage keys. The judge's sheet is saved on every keystroke. */
const STORE = {
  lang: "afkar.lang",
  mode: "afkar.mode",
  source: "afkar.judge.source",
  sheet: "afkar.judge.sheet",
};

/** Project and judge ids, as SPEC.md section 1 defines them. */
const ID_FORM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What a score field may hold (the engine's decimal grammar), for the browser's own :invalid hint. */
const DECIMAL_PATTERN = "[+\\-]?[0-9]+([.][0-9]+)?([eE][+\\-]?[0-9]+)?";

/** Beyond this, a file is refused before it can freeze a phone. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Locales for times, with Latin digits as used in Morocco. */
const TIME_LOCALE = { ar: "ar-MA-u-nu-latn", fr: "fr-MA", en: "en-GB" };

/** The page's one mutable state. */
const app = {
  engine: null, // globalThis.afkar once ready
  lang: "ar",
  mode: "judge",
  judge: {
    source: null, // {kind: "sample"} or {kind: "file", name, text}
    rubricJSON: "", // the rubric as the engine rewrote it: decimals are strings
    rubric: null, // the same, parsed: for labels and thresholds
    base: null, // the engine's answer for an empty sheet: ranges, weights
    projects: [], // [{id, title, cooperative}] from the dataset
    judges: [], // [{id, cooperative, conflicts}] from the dataset, often empty
    problems: [], // [{path, message}] or [{key, params}]
    sheet: { judge: "", project: "", added: [], values: {} }, // saved; values[project][criterion] = text
    savedAt: null,
    saveError: null, // the last failure to save the sheet or the source, shown until a save works
    sourceSaveError: null,
    exportMsg: null, // {key, params}
  },
  org: {
    sheets: [], // [{name, text}] judges' sheets to merge
    resultText: "", // exactly what afkar.evaluate returned
    result: null, // the same, parsed
    dataset: null, // the dataset that was evaluated, parsed: titles, labels, group_by
    problems: [],
    status: null, // {key, params}
  },
};

// ---------------------------------------------------------------------------
// Small helpers

const $ = (id) => document.getElementById(id);

/** The UI string key in the current language. */
const t = (key, params) => format(app.lang, key, params);

/**
 * createElement with text children only: strings become text nodes, so
 * nothing passed here is ever parsed as HTML.
 */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(node, visible) {
  node.hidden = !visible;
}

function loadStored(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null; // absent, corrupt, or storage disabled: start afresh
  }
}

/** Saves value under key; returns the error, if any, for the caller to show. */
function store(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return null;
  } catch (err) {
    return err;
  }
}

/** "rtl" when the first strongly directional letter of text is Arabic or Hebrew, else "ltr". */
function textDirection(text) {
  const strong = /[A-Za-z\u00C0-\u024F\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.exec(text);
  return strong && /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(strong[0]) ? "rtl" : "ltr";
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A fraction of two engine decimals, clamped to [0, 1], for a bar's width
 * only: the floating point here is never shown as a number.
 */
function ratio(part, whole) {
  const x = Number(part) / Number(whole);
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function setBar(node, part, whole) {
  node.style.inlineSize = `${(ratio(part, whole) * 100).toFixed(2)}%`;
}

/**
 * The label of a rubric criterion in lang: a plain string, or the map
 * entry whose primary subtag is lang, else English, else the id.
 */
function criterionLabel(criterion, lang = app.lang) {
  const label = criterion?.label;
  if (typeof label === "string" && label !== "") return label;
  if (isObject(label)) {
    const pick = (want) => Object.keys(label).find((tag) => tag.toLowerCase().split(/[-_]/)[0] === want && label[tag]);
    const tag = pick(lang) ?? pick("en");
    if (tag) return label[tag];
  }
  return criterion?.id ?? "";
}

/** Reads a File as text, refusing files too large to be a dataset. */
async function readFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(t("file.tooLarge", { name: file.name, size: file.size }));
  }
  return file.text(); // UTF-8, byte order mark removed
}

/** Offers text as a file download through a Blob and an object URL. */
function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns: revoke later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * One CSV cell, quoted as Go's encoding/csv (and so the command line)
 * quotes. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR
 * first) gets a leading apostrophe, unless it is a plain decimal number,
 * which is harmless and must stay readable as a number.
 */
function csvCell(value) {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?[0-9]+(\.[0-9]+)?$/.test(s)) s = "'" + s;
  if (/[",\r\n]/.test(s) || /^\s/.test(s)) s = `"${s.replaceAll('"', '""')}"`;
  return s;
}

const csvLine = (cells) => cells.map(csvCell).join(",") + "\n";

/**
 * Rewrites what phones type into what the engine reads: Arabic-Indic
 * digits become ASCII digits and a decimal comma becomes a point. Each
 * character maps to one character, so the caret does not move.
 */
function normaliseDecimalText(text) {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9\u066B,]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
    if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
    return ".";
  });
}

// ---------------------------------------------------------------------------
// The engine

const isEngine = (v) => v && typeof v.evaluate === "function" && typeof v.score === "function";

/**
 * Resolves with globalThis.afkar: at once when it is already there (the
 * engine may have been started by the embedding page), else on afkar-ready.
 */
function engineReady() {
  return new Promise((resolve) => {
    const check = () => {
      if (!isEngine(globalThis.afkar)) return;
      window.removeEventListener("afkar-ready", check);
      resolve(globalThis.afkar);
    };
    window.addEventListener("afkar-ready", check);
    check();
  });
}

/**
 * Fetches and compiles afkar.wasm through boot.js, which shows the
 * download's progress in #ready, then registers the service worker and
 * keeps #net-status up to date.
 */
async function instantiate(imports) {
  const { instantiateEngine } = await import("./boot.js");
  return instantiateEngine(imports);
}

/** Starts the engine unless it is already running; resolves when it is ready. */
async function startEngine() {
  const ready = engineReady();
  if (isEngine(globalThis.afkar)) return ready;
  if (typeof globalThis.Go !== "function") throw new Error("wasm_exec.js did not load");
  const go = new globalThis.Go();
  const instance = await instantiate(go.importObject);
  // go.run settles only when the Go program ends: never awaited, but an
  // end before afkar-ready is a failure to report, and one after it means
  // the functions are gone.
  let isReady = false;
  const ended = go.run(instance).then(
    () => "exited",
    (err) => `failed: ${err?.message || err}`,
  );
  const early = ended.then((how) => {
    if (isReady) {
      if (app.engine) onEngineStopped();
      return new Promise(() => {}); // the race is long over
    }
    throw new Error(`the engine ${how} before it was ready`);
  });
  return Promise.race([ready.then((engine) => ((isReady = true), engine)), early]);
}

/**
 * Calls afkar.<name>(arg). Returns {text, value} (the engine's JSON text
 * and its parse) or {problems}. The engine never throws, but a stopped one
 * does, and that too becomes problems.
 */
function callEngine(name, arg) {
  let text;
  try {
    text = app.engine[name](arg);
  } catch (err) {
    return { problems: [{ path: "$", message: String(err?.message || err) }] };
  }
  if (typeof text !== "string") {
    return { problems: [{ path: "$", message: `afkar.${name} returned no text` }] };
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problems: [{ path: "$", message: `afkar.${name}: ${err.message}` }] };
  }
  if (isObject(value) && "error" in value) {
    const problems = value.error?.problems;
    return { problems: Array.isArray(problems) && problems.length ? problems : [{ path: "$", message: text }] };
  }
  return { text, value };
}

/**
 * Rewrites a dataset (or a bare rubric) with the engine: the answer has
 * every default spelled out and every decimal as a string, so it can be
 * parsed and re-serialised here without losing a digit.
 */
function canonicalDataset(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The engine's message has the line and column; JSON.parse's may not.
    return { problems: callEngine("validate", text).problems || [{ path: "$", message: "malformed JSON" }] };
  }
  const bareRubric = isObject(parsed) && !("rubric" in parsed) && "criteria" in parsed;
  const dataset = bareRubric ? `{"rubric":${text}}` : text;
  return callEngine("merge", `{"dataset":${dataset},"sheets":[]}`);
}

function onEngineStopped() {
  app.engine = null;
  showEngineError(t("engine.stopped"));
}

function showEngineError(message) {
  const box = $("engine-error");
  box.textContent = message;
  show(box, true);
}

// ---------------------------------------------------------------------------
// Language and mode

function setLanguage(lang) {
  app.lang = LANGUAGES.includes(lang) ? lang : "en";
  store(STORE.lang, app.lang);
  renderLanguage();
}

/** Re-renders every string on the page in app.lang. */
function renderLanguage() {
  const root = document.documentElement;
  root.lang = app.lang;
  root.dir = RTL.has(app.lang) ? "rtl" : "ltr";
  document.title = t("app.title");
  $("lang").value = app.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
  if (app.engine) {
    $("engine-version").textContent = t("engine.version", { version: app.engine.version() });
  }
  renderJudgeSource();
  renderOrganiser();
}

const TABS = ["judge", "organiser"];

/** Shows one mode's panel; the tabs follow the ARIA tabs pattern (roving tabindex). */
function setMode(mode, { focus = false } = {}) {
  app.mode = TABS.includes(mode) ? mode : "judge";
  store(STORE.mode, app.mode);
  for (const name of TABS) {
    const tab = $(`mode-${name}`);
    const selected = name === app.mode;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    show($(`panel-${name}`), selected);
    if (selected && focus) tab.focus();
  }
}

/** Arrow keys move between tabs in reading direction; Home and End jump. */
function onTabKey(event) {
  const index = TABS.indexOf(app.mode);
  const rtl = document.documentElement.dir === "rtl";
  let next;
  switch (event.key) {
    case "ArrowRight":
      next = index + (rtl ? -1 : 1);
      break;
    case "ArrowLeft":
      next = index + (rtl ? 1 : -1);
      break;
    case "Home":
      next = 0;
      break;
    case "End":
      next = TABS.length - 1;
      break;
    default:
      return;
  }
  event.preventDefault();
  setMode(TABS[(next + TABS.length) % TABS.length], { focus: true });
}

// ---------------------------------------------------------------------------
// Problem lists (shared by both modes)

/** A problem is {path, message} from the engine, or {key, params} of ours. */
function problemText(problem) {
  if (problem.key) return t(problem.key, problem.params);
  return problem.path ? `${problem.path}: ${problem.message}` : String(problem.message);
}

function renderProblems(list, box, problems) {
  list.replaceChildren(...problems.map((p) => h("li", { dir: "auto" }, problemText(p))));
  show(box, problems.length > 0);
}

// ---------------------------------------------------------------------------
// Judge mode: loading the rubric

/** Loads the built-in sample as the judge's rubric and projects. */
function useJudgeSample() {
  const sample = callEngine("sample");
  if (sample.problems) return setJudgeProblems(sample.problems);
  loadJudgeSource(sample.text, { kind: "sample" });
}

async function onJudgeFile(event) {
  const file = event.target.files?.[0];
  if (!file) return;
  try {
    const text = await readFile(file);
    loadJudgeSource(text, { kind: "file", name: file.name });
  } catch (err) {
    setJudgeProblems([{ path: file.name, message: String(err?.message || err) }]);
  }
}

/**
 * Makes text (a dataset or a bare rubric) the judge's source, after the
 * engine has checked it. The entered scores are kept: they are the judge's,
 * not the file's.
 */
function loadJudgeSource(text, source) {
  const canonical = canonicalDataset(text);
  if (canonical.problems) return setJudgeProblems(canonical.problems);
  const dataset = canonical.value;
  const rubricJSON = JSON.stringify(dataset.rubric);
  const base = callEngine("score", `{"rubric":${rubricJSON},"scores":{}}`);
  if (base.problems) return setJudgeProblems(base.problems);

  const j = app.judge;
  j.rubricJSON = rubricJSON;
  j.rubric = dataset.rubric;
  j.base = base.value;
  j.projects = (dataset.projects || []).map((p) => ({ id: p.id, title: p.title || "", cooperative: p.cooperative || "" }));
  j.judges = (dataset.judges || []).map((x) => ({ id: x.id, cooperative: x.cooperative || "", conflicts: x.conflicts || [] }));
  j.problems = [];
  // A file is saved in its rewritten form, without its scores (which the
  // judge does not need and which could fill the storage).
  j.source =
    source.kind === "file"
      ? { kind: "file", name: source.name, text: JSON.stringify({ rubric: dataset.rubric, projects: dataset.projects || [], ...(dataset.judges ? { judges: dataset.judges } : {}) }) }
      : { kind: "sample" };
  j.sourceSaveError = store(STORE.source, j.source);
  const ids = judgeProjectIds();
  if (!ids.includes(j.sheet.project)) j.sheet.project = ids[0] || "";
  saveSheet();
  renderJudgeSource();
}

function setJudgeProblems(problems) {
  app.judge.problems = problems;
  renderProblems($("judge-problems"), $("judge-problems-box"), problems);
}

// ---------------------------------------------------------------------------
// Judge mode: the sheet

/** The projects a judge can pick: the dataset's, then those the judge added. */
function judgeProjectIds() {
  const ids = app.judge.projects.map((p) => p.id);
  return ids.concat(app.judge.sheet.added.filter((id) => !ids.includes(id)));
}

const projectInfo = (id) => app.judge.projects.find((p) => p.id === id);

/**
 * The non-empty entries of a project on the current rubric's criteria,
 * trimmed: {criterion: text}. Entries on criteria of another rubric stay
 * saved but are not scored or exported.
 */
function enteredScores(project) {
  const row = app.judge.sheet.values[project] || {};
  const out = {};
  for (const { id } of app.judge.base?.criteria || []) {
    const text = (row[id] || "").trim();
    if (text !== "") out[id] = text;
  }
  return out;
}

function setEntered(project, criterion, text) {
  const values = app.judge.sheet.values;
  const row = (values[project] ||= {});
  if (text === "") delete row[criterion];
  else row[criterion] = text;
  if (Object.keys(row).length === 0) delete values[project];
}

/** Asks the engine for the live sheet of scores ({criterion: text}). */
function scoreSheet(scores) {
  return callEngine("score", `{"rubric":${app.judge.rubricJSON},"scores":${JSON.stringify(scores)}}`);
}

function saveSheet() {
  const j = app.judge;
  j.saveError = store(STORE.sheet, j.sheet) || j.sourceSaveError;
  j.savedAt = j.saveError ? null : new Date();
  renderSaved();
}

function renderSaved() {
  const j = app.judge;
  const node = $("saved");
  if (j.saveError) {
    node.textContent = t("judge.notSaved", { message: j.saveError.message || String(j.saveError) });
    node.className = "warn small";
  } else {
    node.textContent = j.savedAt ? t("judge.saved", { time: j.savedAt.toLocaleTimeString(TIME_LOCALE[app.lang]) }) : "";
    node.className = "muted small";
  }
}

/** Restores a saved sheet, keeping only what has the expected shape. */
function restoreSheet(saved) {
  if (!isObject(saved)) return;
  const sheet = app.judge.sheet;
  if (typeof saved.judge === "string") sheet.judge = saved.judge;
  if (typeof saved.project === "string") sheet.project = saved.project;
  if (Array.isArray(saved.added)) sheet.added = saved.added.filter((id) => typeof id === "string" && ID_FORM.test(id));
  if (isObject(saved.values)) {
    for (const [project, row] of Object.entries(saved.values)) {
      if (!isObject(row)) continue;
      for (const [criterion, text] of Object.entries(row)) {
        if (typeof text === "string") setEntered(project, criterion, text);
      }
    }
  }
}

/** Renders everything that depends on the source (and the language). */
function renderJudgeSource() {
  const j = app.judge;
  const sourceLine = !j.source
    ? t("judge.noSource")
    : j.source.kind === "sample"
      ? t("judge.sourceSample")
      : t("judge.sourceFile", { name: j.source.name });
  $("judge-source").textContent = sourceLine;
  renderProblems($("judge-problems"), $("judge-problems-box"), j.problems);
  show($("sheet"), Boolean(j.base));
  if (!j.base) return;

  $("judge-ids").replaceChildren(...j.judges.map((x) => h("option", { value: x.id })));
  const idInput = $("judge-id");
  if (idInput.value !== j.sheet.judge) idInput.value = j.sheet.judge;
  renderJudgeIdMessage();
  renderProjectOptions();
  renderCriteria();
  renderProject();
  renderExportMessage();
  renderSaved();
}

function renderJudgeIdMessage() {
  const j = app.judge;
  const id = j.sheet.judge.trim();
  let message = "";
  if (id !== "" && !ID_FORM.test(id)) message = t("judge.idInvalid", { id });
  else if (id !== "" && j.judges.length > 0 && !j.judges.some((x) => x.id === id)) message = t("judge.idUnknown", { id });
  const node = $("judge-id-msg");
  node.textContent = message;
  show(node, message !== "");
}

/**
 * Option text: id, title, and a mark once the engine finds every
 * criterion validly scored. The engine is asked only when every criterion
 * has an entry, so a long project list stays cheap to draw.
 */
function projectOptionText(id) {
  const title = projectInfo(id)?.title;
  const entered = enteredScores(id);
  const complete = Object.keys(entered).length >= app.judge.base.criteria.length && scoreSheet(entered).value?.complete === true;
  return `${complete ? t("judge.completeMark") + " " : ""}${id}${title ? " — " + title : ""}`;
}

function renderProjectOptions() {
  const select = $("project");
  const ids = judgeProjectIds();
  select.replaceChildren(...ids.map((id) => h("option", { value: id }, projectOptionText(id))));
  select.value = app.judge.sheet.project;
  select.disabled = ids.length === 0;
  if (ids.length === 0) $("add-project").open = true;
}

function updateProjectOption(id) {
  const option = [...$("project").options].find((o) => o.value === id);
  if (option) option.textContent = projectOptionText(id);
}

/** One row per criterion: label, range hint, input, contribution and its bar. */
function renderCriteria() {
  const j = app.judge;
  const rubricCriteria = j.rubric.criteria || [];
  const rows = j.base.criteria.map((c) => {
    const criterion = rubricCriteria.find((r) => r.id === c.id) || { id: c.id };
    const range = c.step ? t("judge.rangeStep", { min: c.min, max: c.max, step: c.step }) : t("judge.range", { min: c.min, max: c.max });
    const hint = [range, t("judge.weight", { weight: c.weight })];
    if (criterion.threshold) hint.push(t("judge.threshold", { threshold: criterion.threshold }));
    const input = h("input", {
      type: "text",
      id: `score-${c.id}`,
      "data-testid": `score-${c.id}`,
      "data-criterion": c.id,
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      dir: "ltr",
      pattern: DECIMAL_PATTERN,
      placeholder: `${c.min}–${c.max}`,
      "aria-describedby": `hint-${c.id} err-${c.id}`,
    });
    input.addEventListener("input", onScoreInput);
    input.addEventListener("keydown", onScoreKey);
    return h(
      "div",
      { class: "crit", id: `row-${c.id}` },
      h("label", { for: `score-${c.id}`, class: "crit-label", dir: "auto" }, criterionLabel(criterion)),
      h("p", { class: "hint", id: `hint-${c.id}` }, hint.join(" · ")),
      input,
      h(
        "p",
        { class: "contrib num", dir: "ltr", title: t("judge.contribution") },
        h("span", { class: "visually-hidden" }, t("judge.contribution") + " "),
        h("span", { id: `contrib-${c.id}`, "data-testid": `contrib-${c.id}` }),
        " / ",
        h("span", { id: `contrib-max-${c.id}` }, c.contribution_max),
      ),
      h("div", { class: "bar", "aria-hidden": "true" }, h("div", { class: "fill", id: `bar-${c.id}` })),
      h("p", { class: "error", id: `err-${c.id}`, hidden: true, dir: "auto" }),
    );
  });
  $("criteria").replaceChildren(...rows);
}

/** Renders the current project: its title, warnings and entries, then scores them. */
function renderProject() {
  const j = app.judge;
  const project = j.sheet.project;
  const info = projectInfo(project);
  const select = $("project");
  select.value = project;
  // A select has no dir="auto": follow the selected title's own direction,
  // so that a French title is not cut at its start in the Arabic page.
  select.dir = textDirection(info?.title || project);
  $("project-title").textContent = project === "" ? t("judge.noProjects") : info?.title || "";
  renderConflictMessage();
  const row = j.sheet.values[project] || {};
  for (const c of j.base.criteria) {
    const input = $(`score-${c.id}`);
    input.value = row[c.id] || "";
    input.disabled = project === "";
  }
  $("clear-project").disabled = project === "";
  recompute();
}

/** Warns a judge whose scores on this project will be excluded (SPEC.md section 2). */
function renderConflictMessage() {
  const j = app.judge;
  const me = j.judges.find((x) => x.id === j.sheet.judge.trim());
  const project = projectInfo(j.sheet.project);
  let key = null;
  if (me && project && me.conflicts.includes(project.id)) key = "judge.conflict";
  else if (me && project && me.cooperative !== "" && me.cooperative === project.cooperative) key = "judge.sameCoop";
  const node = $("project-msg");
  node.textContent = key ? t(key) : "";
  show(node, key !== null);
}

/**
 * Scores the current project's entries and renders the answer. An entry the
 * engine refuses is flagged on its field, and the others are scored again
 * without it, so the judge keeps seeing a total while correcting a typo.
 */
function recompute() {
  const j = app.judge;
  if (!j.base) return;
  const entered = enteredScores(j.sheet.project);
  let answer = scoreSheet(entered);
  const fieldErrors = {};
  let general = [];
  if (answer.problems) {
    for (const p of answer.problems) {
      const id = /^scores\.(.+)$/.exec(p.path || "")?.[1];
      if (id && id in entered) fieldErrors[id] = p.message;
      else general.push(p);
    }
    if (general.length === 0) {
      const valid = Object.fromEntries(Object.entries(entered).filter(([id]) => !(id in fieldErrors)));
      answer = scoreSheet(valid);
      if (answer.problems) general = answer.problems;
    }
  }
  renderFieldErrors(fieldErrors);
  renderSheet(answer.value || null, Object.keys(fieldErrors).length > 0);
  if (general.length > 0 || j.problems.length > 0) setJudgeProblems(general);
  updateProjectOption(j.sheet.project);
}

function renderFieldErrors(fieldErrors) {
  for (const c of app.judge.base.criteria) {
    const input = $(`score-${c.id}`);
    const message = fieldErrors[c.id] || "";
    input.setCustomValidity(message);
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    const err = $(`err-${c.id}`);
    err.textContent = message;
    show(err, message !== "");
  }
}

/** Shows a live sheet: the engine's strings, unchanged. */
function renderSheet(answer, hasErrors) {
  const criteria = app.judge.base.criteria;
  $("total").textContent = answer?.total ?? "";
  $("total-max").textContent = answer?.total_max ?? app.judge.base.total_max;
  setBar($("total-bar"), answer?.total, answer?.total_max);
  let scored = 0;
  for (const c of answer?.criteria || criteria.map((x) => ({ ...x, contribution: null, score: null }))) {
    $(`contrib-${c.id}`).textContent = c.contribution ?? "";
    $(`contrib-max-${c.id}`).textContent = c.contribution_max;
    setBar($(`bar-${c.id}`), c.contribution, c.contribution_max);
    if (c.score !== null && c.score !== undefined) scored++;
  }
  $("completion").textContent = answer?.complete ? t("judge.complete") : t("judge.incomplete", { done: scored, all: criteria.length });
  const note = $("sheet-note");
  note.textContent = hasErrors ? t("judge.invalidNotCounted") : "";
  show(note, hasErrors);
}

function onScoreInput(event) {
  const input = event.target;
  const clean = normaliseDecimalText(input.value);
  if (clean !== input.value) {
    const caret = input.selectionStart;
    input.value = clean;
    input.setSelectionRange(caret, caret);
  }
  setEntered(app.judge.sheet.project, input.dataset.criterion, clean);
  app.judge.exportMsg = null;
  renderExportMessage();
  saveSheet();
  recompute();
}

/** Enter moves to the next criterion, as a jury fills a paper sheet. */
function onScoreKey(event) {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const inputs = [...$("criteria").querySelectorAll("input")];
  const next = inputs[inputs.indexOf(event.target) + 1];
  (next || $("export-json")).focus();
}

function onJudgeIdInput(event) {
  app.judge.sheet.judge = event.target.value;
  saveSheet();
  renderJudgeIdMessage();
  renderConflictMessage();
}

function onProjectChange(event) {
  app.judge.sheet.project = event.target.value;
  saveSheet();
  renderProject();
}

function onAddProject() {
  const input = $("project-new");
  const id = input.value.trim();
  const msg = $("project-new-msg");
  const valid = ID_FORM.test(id);
  msg.textContent = valid ? "" : t("judge.projectInvalid", { id });
  show(msg, !valid);
  if (valid) input.removeAttribute("aria-invalid");
  else input.setAttribute("aria-invalid", "true");
  if (!valid) return;
  const sheet = app.judge.sheet;
  if (!judgeProjectIds().includes(id)) sheet.added.push(id);
  sheet.project = id;
  input.value = "";
  saveSheet();
  renderProjectOptions();
  renderProject();
  $("project").focus();
}

function onClearProject() {
  const project = app.judge.sheet.project;
  if (!project || !window.confirm(t("judge.clearConfirm", { id: project }))) return;
  delete app.judge.sheet.values[project];
  saveSheet();
  renderProject();
}

// ---------------------------------------------------------------------------
// Judge mode: export

/**
 * Every score the judge entered, for every project, as the engine reads
 * them: [{judge, project, criterion, score}] in project then rubric order,
 * or the problems that stop the export.
 */
function collectSheet() {
  const judge = app.judge.sheet.judge.trim();
  if (!ID_FORM.test(judge)) return { problems: [{ key: "judge.exportNeedId" }] };
  const labels = new Map((app.judge.rubric.criteria || []).map((c) => [c.id, criterionLabel(c)]));
  const scores = [];
  const problems = [];
  for (const project of judgeProjectIds()) {
    const entered = enteredScores(project);
    if (Object.keys(entered).length === 0) continue;
    const answer = scoreSheet(entered);
    if (answer.problems) {
      for (const p of answer.problems) {
        const id = /^scores\.(.+)$/.exec(p.path || "")?.[1];
        problems.push({ key: "judge.projectError", params: { project, criterion: labels.get(id) || p.path, message: p.message } });
      }
      continue;
    }
    for (const c of answer.value.criteria) {
      if (c.score !== null) scores.push({ judge, project, criterion: c.id, score: c.score });
    }
  }
  if (problems.length > 0) return { problems: [{ key: "judge.exportFix" }, ...problems] };
  if (scores.length === 0) return { problems: [{ key: "judge.exportNothing" }] };
  return { judge, scores };
}

function exportSheet(kind) {
  const sheet = collectSheet();
  if (sheet.problems) {
    app.judge.exportMsg = sheet.problems[0];
    setJudgeProblems(sheet.problems.slice(1));
    renderExportMessage();
    if (sheet.problems[0].key === "judge.exportNeedId") $("judge-id").focus();
    return;
  }
  setJudgeProblems([]);
  const name = `afkar-sheet-${sheet.judge}`;
  if (kind === "json") {
    download(`${name}.json`, sheetJSON(sheet), "application/json");
  } else {
    const rows = sheet.scores.map((s) => csvLine([s.project, s.judge, s.criterion, s.score]));
    download(`${name}.csv`, csvLine(["project", "judge", "criterion", "score"]) + rows.join(""), "text/csv");
  }
  app.judge.exportMsg = { key: "judge.exported", params: { count: sheet.scores.length } };
  renderExportMessage();
}

/** The sheet as JSON, one score a line, so that a person can read it too. */
function sheetJSON(sheet) {
  const q = JSON.stringify;
  const lines = sheet.scores.map((x) => `    {"judge": ${q(x.judge)}, "project": ${q(x.project)}, "criterion": ${q(x.criterion)}, "score": ${q(x.score)}}`);
  return `{\n  "judge": ${JSON.stringify(sheet.judge)},\n  "scores": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

function renderExportMessage() {
  const msg = app.judge.exportMsg;
  $("export-msg").textContent = msg ? problemText(msg) : "";
}

// ---------------------------------------------------------------------------
// Organiser mode

async function onDatasetFile(event) {
  const file = event.target.files?.[0];
  if (!file) return;
  try {
    $("dataset-text").value = await readFile(file);
    evaluateOrganiser();
  } catch (err) {
    setOrgProblems([{ path: file.name, message: String(err?.message || err) }]);
  }
}

function useOrganiserSample() {
  const sample = callEngine("sample");
  if (sample.problems) return setOrgProblems(sample.problems);
  $("dataset-text").value = sample.text;
  evaluateOrganiser();
}

async function onSheetFiles(event) {
  const input = event.target;
  const problems = [];
  for (const file of input.files || []) {
    try {
      app.org.sheets.push({ name: file.name, text: await readFile(file) });
    } catch (err) {
      problems.push({ path: file.name, message: String(err?.message || err) });
    }
  }
  input.value = ""; // so that the same file can be added again after a fix
  renderSheetList();
  if (problems.length > 0) return setOrgProblems(problems);
  evaluateOrganiser();
}

function removeSheet(index) {
  app.org.sheets.splice(index, 1);
  renderSheetList();
  const list = $("sheets-list");
  (list.querySelector("button") || $("sheets-file")).focus();
  evaluateOrganiser();
}

function renderSheetList() {
  const items = app.org.sheets.map((sheet, index) => {
    const remove = h("button", { type: "button", class: "secondary small", "aria-label": t("org.removeSheetLabel", { name: sheet.name }) }, t("org.removeSheet"));
    remove.addEventListener("click", () => removeSheet(index));
    return h("li", {}, h("span", { dir: "auto" }, sheet.name), " ", remove);
  });
  if (items.length === 0) items.push(h("li", { class: "muted" }, t("org.sheetsNone")));
  $("sheets-list").replaceChildren(...items);
}

function setOrgProblems(problems) {
  app.org.problems = problems;
  renderProblems($("problems"), $("problems-box"), problems);
}

/** Names a merge problem after the sheet's file rather than its index. */
function sheetProblem(problem) {
  const match = /^sheets\[(\d+)\](\.?)(.*)$/.exec(problem.path || "");
  const sheet = match && app.org.sheets[Number(match[1])];
  if (!sheet) return problem;
  return { path: match[3] ? `${sheet.name}: ${match[3]}` : sheet.name, message: problem.message };
}

/**
 * Merges the sheets into the dataset (when there are sheets), evaluates,
 * and renders the result or the problems. The dataset text goes to the
 * engine as the user gave it.
 */
function evaluateOrganiser() {
  const org = app.org;
  const text = $("dataset-text").value;
  const hasDataset = text.trim() !== "";
  org.status = null;
  if (!hasDataset && org.sheets.length === 0) {
    clearResult();
    org.status = { key: "org.needDataset" };
    setOrgProblems([]);
    return renderOrgStatus();
  }
  let datasetText = text;
  if (org.sheets.length > 0) {
    const merged = mergeSheets(hasDataset ? text : "null");
    if (merged.problems) {
      clearResult();
      return setOrgProblems(merged.problems);
    }
    datasetText = merged.text;
    org.status = { key: "org.merged", params: { count: org.sheets.length } };
  }
  const result = callEngine("evaluate", datasetText);
  if (result.problems) {
    clearResult();
    renderOrgStatus();
    return setOrgProblems(result.problems);
  }
  org.resultText = result.text;
  org.result = result.value;
  org.dataset = JSON.parse(datasetText); // valid: the engine just read it
  setOrgProblems([]);
  renderOrganiser();
}

/**
 * Builds the merge request by splicing the texts, so that no decimal goes
 * through a JavaScript number. Each text is checked to be one JSON value
 * first: then the splice is a well-formed request.
 */
function mergeSheets(datasetText) {
  const problems = [];
  if (datasetText !== "null") {
    try {
      JSON.parse(datasetText);
    } catch {
      return { problems: callEngine("validate", datasetText).problems || [] };
    }
  }
  for (const sheet of app.org.sheets) {
    try {
      JSON.parse(sheet.text);
    } catch (err) {
      problems.push({ path: sheet.name, message: t("org.jsonError", { message: err.message }) });
    }
  }
  if (problems.length > 0) return { problems };
  const sheets = app.org.sheets.map((s) => s.text).join(",");
  const merged = callEngine("merge", `{"dataset":${datasetText},"sheets":[${sheets}]}`);
  return merged.problems ? { problems: merged.problems.map(sheetProblem) } : merged;
}

function clearResult() {
  const org = app.org;
  org.resultText = "";
  org.result = null;
  org.dataset = null;
  renderOrganiser();
}

function renderOrgStatus() {
  $("org-status").textContent = app.org.status ? problemText(app.org.status) : "";
}

/** Renders the organiser panel from app.org (also on a language change). */
function renderOrganiser() {
  const org = app.org;
  renderSheetList();
  renderOrgStatus();
  renderProblems($("problems"), $("problems-box"), org.problems);
  $("result-json").textContent = org.resultText;
  show($("results"), Boolean(org.result));
  if (!org.result) {
    $("result-tables").replaceChildren();
    return;
  }
  const projects = org.result.projects || [];
  const ranked = projects.filter((p) => p.eligible);
  $("result-summary").textContent = t("org.summary", {
    ranked: ranked.length,
    unranked: projects.length - ranked.length,
    excluded: (org.result.excluded_scores || []).length,
  });
  $("result-digest").textContent = org.result.input_digest || "";
  $("result-tables").replaceChildren(...resultSections(org.result, org.dataset));
}

/** What the result tables need from the dataset, looked up once. */
function resultContext(dataset) {
  const criteria = dataset?.rubric?.criteria || [];
  const projects = dataset?.projects || [];
  return {
    criteria,
    labels: new Map(criteria.map((c) => [c.id, criterionLabel(c)])),
    titles: new Map(projects.map((p) => [p.id, typeof p.title === "string" ? p.title : ""])),
    order: new Map(projects.map((p, i) => [p.id, i])),
    groupBy: typeof dataset?.ranking?.group_by === "string" ? dataset.ranking.group_by : "",
  };
}

/**
 * The result's sections: by group first when there are groups (selection
 * is per group, as in the command line's table), then the overall order,
 * the projects not ranked and the excluded scores, with links to each.
 */
function resultSections(result, dataset) {
  const ctx = resultContext(dataset);
  const projects = result.projects || [];
  const ranked = projects.filter((p) => p.eligible);
  const unranked = projects.filter((p) => !p.eligible);
  const excluded = result.excluded_scores || [];
  const sections = [];
  const section = (id, title, ...content) => {
    sections.push({ id, title });
    return h("section", { class: "result-section", id, "aria-labelledby": `${id}-h` }, h("h3", { id: `${id}-h` }, title), content);
  };
  const parts = [];
  if (ctx.groupBy && ranked.length) {
    const tables = groupOrder(ranked, ctx).map((g) => rankingTable(groupMembers(ranked, g, ctx), ctx, { grouped: true, caption: groupName(g, ctx.groupBy) }));
    parts.push(section("res-groups", t("org.byGroup", { by: groupByName(ctx.groupBy) }), tables));
  }
  parts.push(
    section("res-overall", t("org.overall"), ranked.length ? rankingTable(ranked, ctx, { grouped: false, caption: t("org.overall") }) : h("p", {}, t("org.noneRanked"))),
  );
  if (unranked.length) parts.push(section("res-unranked", `${t("org.notRanked")} (${unranked.length})`, unrankedTable(unranked, ctx)));
  if (excluded.length) parts.push(section("res-excluded", `${t("org.excluded")} (${excluded.length})`, excludedList(excluded, ctx)));
  const nav = h("nav", { class: "result-nav", "aria-label": t("org.sections") }, h("ul", {}, sections.map((s) => h("li", {}, h("a", { href: `#${s.id}` }, s.title)))));
  return [nav, ...parts];
}

/** Region groups in tour order (as the command line prints them), then the rest as they come. */
function groupOrder(ranked, ctx) {
  const groups = [...new Set(ranked.map((p) => p.group ?? ""))];
  if (ctx.groupBy !== "region") return groups;
  const key = (g) => (tourIndex(g) < 0 ? Infinity : tourIndex(g));
  return groups.map((g, i) => [g, i]).sort((a, b) => key(a[0]) - key(b[0]) || a[1] - b[1]).map(([g]) => g);
}

/**
 * A group's projects in the group's own order: by group_rank, and a tie
 * that no rule broke in input order (SPEC.md section 4). The group order
 * can differ from the overall one, as head_to_head is counted in the group.
 */
function groupMembers(ranked, group, ctx) {
  return ranked
    .filter((p) => (p.group ?? "") === group)
    .sort((a, b) => a.group_rank - b.group_rank || ctx.order.get(a.id) - ctx.order.get(b.id));
}

function groupByName(by) {
  return ["region", "sector", "cooperative"].includes(by) ? t(`group.${by}`) : by;
}

/** A group's name: a region's name in the page's language, with its code unless short. */
function groupName(group, by, { short = false } = {}) {
  if (group === "") return t("org.groupNone");
  if (by === "region") {
    const name = regionName(group, app.lang);
    if (name) return short ? name : `${name} (${group})`;
  }
  return short ? group : t("org.groupOther", { by: groupByName(by), value: group });
}

const cell = (text, props = {}) => h("td", props, text ?? "");
const num = (text) => cell(text === null || text === undefined ? "" : String(text), { class: "num", dir: "ltr" });

/**
 * A ranking table. The last column says, in words, why each project is
 * ahead of the next one in this table (nothing for the last).
 */
function rankingTable(rows, ctx, { grouped, caption }) {
  const head = [t("col.rank"), t("col.id"), t("col.title")];
  if (!grouped && ctx.groupBy) head.push(t("col.group"), t("col.groupRank"));
  head.push(t("col.total"), ...ctx.criteria.map((c) => ctx.labels.get(c.id)), t("col.judges"), t("col.selected"), t("col.why"));
  const body = rows.map((p, i) => {
    const decided = grouped ? p.group_decided_by : p.decided_by;
    const cells = [num(grouped ? p.group_rank : p.rank), cell(p.id, { dir: "ltr", class: "id" }), cell(ctx.titles.get(p.id), { dir: "auto", class: "title" })];
    if (!grouped && ctx.groupBy) cells.push(cell(groupName(p.group ?? "", ctx.groupBy, { short: true }), { dir: "auto", title: p.group ?? "" }), num(p.group_rank));
    cells.push(num(p.total), ...ctx.criteria.map((c) => num(p.criteria?.[c.id])), num(p.judges));
    cells.push(h("td", {}, p.selected ? h("span", { class: "badge" }, t("badge.selected")) : ""));
    cells.push(cell(i < rows.length - 1 ? whyAhead(decided, ctx) : ""));
    return h("tr", { class: p.selected ? "selected" : null, "data-id": p.id }, cells);
  });
  return tableBox(caption, head, body);
}

function unrankedTable(rows, ctx) {
  const head = [t("col.id"), t("col.title"), t("col.total"), t("col.judges"), t("col.reasons")];
  const sep = t("list.separator");
  const body = rows.map((p) =>
    h("tr", { "data-id": p.id }, cell(p.id, { dir: "ltr", class: "id" }), cell(ctx.titles.get(p.id), { dir: "auto", class: "title" }), num(p.total), num(p.judges), cell((p.reasons || []).map((r) => reasonText(r, ctx)).join(sep))),
  );
  return tableBox(t("org.notRanked"), head, body);
}

/** A table in a box that scrolls sideways on a phone and can be scrolled with the keyboard. */
function tableBox(caption, head, body) {
  const table = h("table", {}, h("caption", {}, caption), h("thead", {}, h("tr", {}, head.map((text) => h("th", { scope: "col" }, text)))), h("tbody", {}, body));
  return h("div", { class: "table-box", tabindex: "0", role: "region", "aria-label": caption }, table);
}

function excludedList(excluded, ctx) {
  const items = excluded.map((e) =>
    h(
      "li",
      { dir: "auto" },
      t("org.excludedItem", { judge: e.judge, project: e.project, criterion: ctx.labels.get(e.criterion) || e.criterion, reason: t(`excluded.${e.reason}`) }),
    ),
  );
  return h("ul", { class: "excluded" }, items);
}

/** decided_by / group_decided_by in words (SPEC.md section 4). */
function whyAhead(rule, ctx) {
  if (rule === null || rule === undefined) return t("why.tied");
  const [name, ...rest] = rule.split(":");
  const arg = rest.join(":"); // a lottery seed may itself hold colons
  switch (name) {
    case "total":
    case "head_to_head":
    case "submitted_at":
    case "id":
      return t(`why.${name}`);
    case "criterion":
      return t("why.criterion", { criterion: ctx.labels.get(arg) || arg });
    case "lottery":
      return t("why.lottery", { seed: arg });
    default:
      return t("why.other", { rule });
  }
}

/** An ineligibility reason in words (SPEC.md section 3). */
function reasonText(reason, ctx) {
  const [name, ...rest] = reason.split(":");
  const id = rest.join(":");
  switch (name) {
    case "quorum":
    case "threshold":
      return t(`reason.${name}`, { criterion: ctx.labels.get(id) || id });
    case "total_threshold":
      return t("reason.total_threshold");
    default:
      return t("reason.other", { reason });
  }
}

/**
 * The result as CSV, with the command line's header and row order (SPEC.md
 * section 6): null is an empty cell, reasons are joined with ";".
 */
function resultCSV(result, dataset) {
  const ctx = resultContext(dataset);
  const ids = ctx.criteria.map((c) => c.id);
  const header = ["rank", "id", "title", "group", "group_rank", "total", ...ids, "judges", "eligible", "selected", "decided_by", "reasons"];
  const rows = (result.projects || []).map((p) =>
    csvLine([
      p.rank,
      p.id,
      ctx.titles.get(p.id),
      p.group,
      p.group_rank,
      p.total,
      ...ids.map((id) => p.criteria?.[id]),
      p.judges,
      String(p.eligible),
      String(p.selected),
      p.decided_by,
      (p.reasons || []).join(";"),
    ]),
  );
  return csvLine(header) + rows.join("");
}

function resultFileName(ext) {
  const id = app.org.dataset?.ideathon?.id;
  return `afkar-result${typeof id === "string" && ID_FORM.test(id) ? "-" + id : ""}.${ext}`;
}

// ---------------------------------------------------------------------------
// Start

function wireEvents() {
  $("lang").addEventListener("change", (e) => setLanguage(e.target.value));
  for (const name of TABS) {
    const tab = $(`mode-${name}`);
    tab.addEventListener("click", () => setMode(name));
    tab.addEventListener("keydown", onTabKey);
  }
  $("use-sample").addEventListener("click", useJudgeSample);
  $("rubric-file").addEventListener("change", onJudgeFile);
  $("judge-id").addEventListener("input", onJudgeIdInput);
  $("project").addEventListener("change", onProjectChange);
  $("project-add").addEventListener("click", onAddProject);
  $("project-new").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      onAddProject();
    }
  });
  $("clear-project").addEventListener("click", onClearProject);
  $("export-json").addEventListener("click", () => exportSheet("json"));
  $("export-csv").addEventListener("click", () => exportSheet("csv"));

  $("dataset-file").addEventListener("change", onDatasetFile);
  $("org-use-sample").addEventListener("click", useOrganiserSample);
  $("sheets-file").addEventListener("change", onSheetFiles);
  $("evaluate").addEventListener("click", evaluateOrganiser);
  $("download-json").addEventListener("click", () => download(resultFileName("json"), app.org.resultText, "application/json"));
  $("download-csv").addEventListener("click", () => download(resultFileName("csv"), resultCSV(app.org.result, app.org.dataset), "text/csv"));
}

/** Reloads the judge's saved source and sheet, so a reload or a crash loses nothing. */
function restoreJudge() {
  restoreSheet(loadStored(STORE.sheet));
  const source = loadStored(STORE.source);
  if (source?.kind === "sample") useJudgeSample();
  else if (source?.kind === "file" && typeof source.text === "string") loadJudgeSource(source.text, source);
  else renderJudgeSource();
}

function onReady(engine) {
  app.engine = engine;
  const version = engine.version();
  const ready = $("ready");
  ready.dataset.ready = "true";
  show(ready, false);
  const main = $("main");
  main.inert = false;
  main.removeAttribute("aria-busy");
  $("engine-version").textContent = t("engine.version", { version });
  if (version !== "afkar/1") showEngineError(t("engine.versionMismatch", { version }));
  restoreJudge();
}

async function main() {
  const storedLang = loadStored(STORE.lang);
  app.lang = LANGUAGES.includes(storedLang) ? storedLang : preferredLanguage();
  wireEvents();
  setMode(loadStored(STORE.mode) || "judge");
  renderLanguage();
  try {
    onReady(await startEngine());
  } catch (err) {
    $("ready").hidden = true;
    showEngineError(t("engine.failed", { message: err?.message || String(err) }));
  }
}

main();
