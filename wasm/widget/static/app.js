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
import { problemMessage } from "./problems.js";
import { ChunkCollector, datasetLink, decodeImage, encodeChunks, scanCamera, showSequence } from "./qr.js";
import { connectServer } from "./sync.js";

/** localStorage keys. The judge's sheet is saved on every keystroke. */
const STORE = {
  lang: "afkar.lang",
  mode: "afkar.mode",
  source: "afkar.judge.source",
  judge: "afkar.judge.current", // the judge whose sheet is open
  legacySheet: "afkar.judge.sheet", // the one sheet a device had before sheets were kept per judge
};

/**
 * Where one judge's sheet for one stage is stored: sheets of different
 * judges or stages never share a key, so two jurors on one phone, or two
 * tabs, cannot overwrite each other's scores.
 */
const sheetKey = (stage, judge) => `afkar.sheet.${stage}.${judge}`;

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
    source: null, // {kind: "sample"} or {kind: "file" | "url", name, text}
    stage: "", // the stage digest of the source, which exported sheets name
    storage: "", // where sheets are kept, with the judge: the stage digest, or a stage server's stage
    rubricJSON: "", // the rubric as the engine rewrote it: decimals are strings
    rubric: null, // the same, parsed: for labels and thresholds
    base: null, // the engine's answer for an empty sheet: ranges, weights
    criteria: new Map(), // criterion id → its DOM ids (see criterionIndex)
    projects: [], // [{id, title, cooperative}] from the dataset
    judges: [], // [{id, cooperative, conflicts}] from the dataset, often empty
    problems: [], // [{path, message}] or [{key, params}]
    sheet: null, // the open judge's sheet (see emptySheet); judge "" when none is open
    savedAt: null,
    saveError: null, // the last failure to save the sheet or the source, shown until a save works
    sourceSaveError: null,
    judgeSaveError: null,
    exportMsg: null, // {key, params}
  },
  org: {
    sheets: [], // [{name, text}] judges' sheets to merge, JSON or CSV
    reports: [], // the engine's word on each sheet after a merge (see bridge.SheetReport)
    datasetURL: "", // where the dataset came from, when from this site: shared by link
    swing: null, // the engine's one-juror swing of the evaluated dataset, once asked for
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

/** "sha256:" and the first 12 hex digits of a digest, for people to compare. */
const shortDigest = (digest) => (typeof digest === "string" && digest.length > 19 ? digest.slice(0, 19) + "…" : digest || "");

/**
 * A decimal the engine wrote ("15.5"), with the decimal mark of the page's
 * language: a comma in French and Arabic as written in Morocco, Latin
 * digits throughout. Anything else is returned as it is.
 */
function localNumber(text, lang = app.lang) {
  const s = text === null || text === undefined ? "" : String(text);
  return lang !== "en" && /^[+-]?[0-9]+\.[0-9]+$/.test(s) ? s.replace(".", ",") : s;
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

/**
 * A problem is {path, message, code, params} from the engine, or {key,
 * params} of ours. The engine's are put in the page's language from their
 * code (problems.js), criteria named by labelOf(id).
 */
function problemText(problem, labelOf = judgeCriterionLabel) {
  if (problem.key) return t(problem.key, problem.params);
  const message = problemMessage(app.lang, problem, { criterionLabel: labelOf });
  return problem.path && problem.path !== "$" ? `${problem.path}: ${message}` : message;
}

/**
 * Lists problems in box. A problem with a target (a project and a
 * criterion of the judge's sheet) is a link to that field.
 */
function renderProblems(list, box, problems, labelOf) {
  list.replaceChildren(
    ...problems.map((p) => {
      const text = problemText(p, labelOf);
      if (!p.target) return h("li", { dir: "auto" }, text);
      const link = h("a", { href: "#sheet", dir: "auto" }, text);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        goToProblem(p.target);
      });
      return h("li", { dir: "auto" }, link);
    }),
  );
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
 * engine has checked it, and opens the current judge's sheet for that
 * stage: sheets are kept per stage and per judge, so a new dataset never
 * inherits another stage's scores.
 */
function loadJudgeSource(text, source) {
  const canonical = canonicalDataset(text);
  if (canonical.problems) return setJudgeProblems(canonical.problems);
  const dataset = canonical.value;
  const rubricJSON = JSON.stringify(dataset.rubric);
  const base = callEngine("score", `{"rubric":${rubricJSON},"scores":{}}`);
  if (base.problems) return setJudgeProblems(base.problems);
  // The stage is named by the digest of what the judge holds: the rubric,
  // the rules, the projects and the jury, not the scores.
  const stageDataset = JSON.stringify({ ...dataset, scores: [] });
  const digests = callEngine("digests", stageDataset);
  if (digests.problems) return setJudgeProblems(digests.problems);

  const j = app.judge;
  j.rubricJSON = rubricJSON;
  j.rubric = dataset.rubric;
  j.base = base.value;
  j.criteria = criterionIndex(base.value.criteria);
  j.stage = digests.value.stage_digest;
  // Where the sheets are kept: by the stage's digest, or, for a stage
  // server's juror, by the server's stage (whose digest changes when the
  // assignment is run again, and must not hide the sheet).
  j.storage = typeof source.storage === "string" && source.storage !== "" ? source.storage : j.stage;
  // A stage server's juror holds only the assigned ideas: the sheets name
  // the server's whole stage, which the organiser's dataset has.
  if (typeof source.stageDigest === "string" && /^sha256:[0-9a-f]{64}$/.test(source.stageDigest)) j.stage = source.stageDigest;
  j.projects = (dataset.projects || []).map((p) => ({ id: p.id, title: p.title || "", cooperative: p.cooperative || "" }));
  j.judges = (dataset.judges || []).map((x) => ({ id: x.id, cooperative: x.cooperative || "", conflicts: x.conflicts || [], abstains: x.abstains || [] }));
  j.problems = [];
  // A file is saved in its rewritten form, without its scores (which the
  // judge does not need and which could fill the storage).
  j.source =
    source.kind === "sample"
      ? { kind: "sample" }
      : { kind: source.kind, name: source.name, storage: source.storage, stageDigest: source.stageDigest, text: JSON.stringify({ ...dataset, scores: [] }) };
  j.sourceSaveError = store(STORE.source, j.source);
  openSheet(j.sheet.judge || loadStored(STORE.judge) || "");
  renderJudgeSource();
}

/** Each criterion's DOM ids, made from its position so that no two collide. */
function criterionIndex(criteria) {
  return new Map(criteria.map((c, i) => [c.id, { index: i, input: `crit${i}-score`, contrib: `crit${i}-contrib`, max: `crit${i}-max`, bar: `crit${i}-bar`, err: `crit${i}-err`, hint: `crit${i}-hint` }]));
}

function setJudgeProblems(problems) {
  app.judge.problems = problems;
  renderProblems($("judge-problems"), $("judge-problems-box"), problems);
}

// ---------------------------------------------------------------------------
// Judge mode: one sheet per judge and stage

/** A judge's empty sheet. values maps project → criterion → the text typed. */
const emptySheet = (judge) => ({ judge, project: "", added: [], values: new Map(), seq: 0, issued: null, dirty: false });

/**
 * Reads a judge's sheet for the current stage from storage, keeping only
 * what has the expected shape. Maps, never plain objects, hold ids: a
 * project called "constructor" is a project like any other.
 */
function readSheet(judge) {
  const sheet = emptySheet(judge);
  const saved = loadStored(sheetKey(app.judge.storage, judge));
  if (!isObject(saved) || saved.judge !== judge) return sheet;
  if (typeof saved.project === "string") sheet.project = saved.project;
  if (Array.isArray(saved.added)) sheet.added = saved.added.filter((id) => typeof id === "string" && ID_FORM.test(id));
  if (Array.isArray(saved.values)) {
    for (const entry of saved.values) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || !Array.isArray(entry[1])) continue;
      for (const pair of entry[1]) {
        if (Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string") setEntered(sheet, entry[0], pair[0], pair[1]);
      }
    }
  }
  if (Number.isSafeInteger(saved.seq) && saved.seq > 0) sheet.seq = saved.seq;
  if (isObject(saved.issued) && Number.isSafeInteger(saved.issued.seq) && typeof saved.issued.time === "string") {
    sheet.issued = { seq: saved.issued.seq, time: saved.issued.time, signedOff: saved.issued.signedOff === true };
  }
  sheet.dirty = saved.dirty === true;
  return sheet;
}

/** The sheet as stored: Maps as arrays of pairs, which JSON keeps in order. */
function sheetRecord(sheet) {
  return {
    judge: sheet.judge,
    stage: app.judge.storage,
    project: sheet.project,
    added: sheet.added,
    values: [...sheet.values].map(([project, row]) => [project, [...row]]),
    seq: sheet.seq,
    issued: sheet.issued,
    dirty: sheet.dirty,
  };
}

/**
 * Opens judge's sheet for the current stage (an empty one for a judge
 * new to this device). The scores on screen are never handed to another
 * judge: they stay saved under their own judge.
 */
function openSheet(judge) {
  const j = app.judge;
  j.sheet = judge !== "" && ID_FORM.test(judge) ? readSheet(judge) : emptySheet("");
  adoptLegacySheet();
  const ids = judgeProjectIds();
  if (!ids.includes(j.sheet.project)) j.sheet.project = ids[0] || "";
  j.savedAt = null;
  j.exportMsg = null;
  if (j.sheet.judge !== "") {
    j.judgeSaveError = store(STORE.judge, j.sheet.judge);
    try {
      sessionStorage.setItem(STORE.judge, JSON.stringify(j.sheet.judge));
    } catch {
      // this tab's choice is only a convenience
    }
  }
}

/**
 * Before sheets were kept per judge, a device had one sheet. Its scores go
 * to the judge it named, on the first stage opened after the update, if
 * that judge has no sheet there yet; then the old entry is removed.
 */
function adoptLegacySheet() {
  const j = app.judge;
  const legacy = loadStored(STORE.legacySheet);
  if (!isObject(legacy) || legacy.judge !== j.sheet.judge || j.sheet.judge === "" || j.sheet.values.size > 0) return;
  if (isObject(legacy.values)) {
    for (const [project, row] of Object.entries(legacy.values)) {
      if (!isObject(row)) continue;
      for (const [criterion, text] of Object.entries(row)) {
        if (typeof text === "string") setEntered(j.sheet, project, criterion, text);
      }
    }
  }
  j.sheet.dirty = j.sheet.values.size > 0;
  saveSheet();
  try {
    localStorage.removeItem(STORE.legacySheet);
  } catch {
    // leave it: it is adopted only where no sheet exists
  }
}

/** The projects a judge can pick: the dataset's, then those the judge added. */
function judgeProjectIds() {
  const ids = app.judge.projects.map((p) => p.id);
  return ids.concat(app.judge.sheet.added.filter((id) => !ids.includes(id)));
}

const projectInfo = (id) => app.judge.projects.find((p) => p.id === id);

/**
 * The non-empty entries of a project on the current rubric's criteria,
 * trimmed, as a Map criterion → text. Entries on criteria of another
 * rubric stay saved but are not scored or exported.
 */
function enteredScores(project) {
  const row = app.judge.sheet.values.get(project);
  const out = new Map();
  for (const { id } of app.judge.base?.criteria || []) {
    const text = (row?.get(id) || "").trim();
    if (text !== "") out.set(id, text);
  }
  return out;
}

function setEntered(sheet, project, criterion, text) {
  let row = sheet.values.get(project);
  if (!row) sheet.values.set(project, (row = new Map()));
  if (text === "") row.delete(criterion);
  else row.set(criterion, text);
  if (row.size === 0) sheet.values.delete(project);
}

/** Asks the engine for the live sheet of scores (a Map criterion → text). */
function scoreSheet(scores) {
  return callEngine("score", `{"rubric":${app.judge.rubricJSON},"scores":${JSON.stringify(Object.fromEntries(scores))}}`);
}

/** Saves the open sheet under its own judge and stage; nothing is saved before a judge opens one. */
function saveSheet() {
  const j = app.judge;
  if (j.sheet.judge === "" || !j.storage) return;
  j.saveError = store(sheetKey(j.storage, j.sheet.judge), sheetRecord(j.sheet)) || j.sourceSaveError;
  j.savedAt = j.saveError ? null : new Date();
  renderSaved();
  app.onSave?.(); // sync.js sends the sheet to the stage server, when connected
}

/** Another tab changed this judge's sheet: take its version, so neither tab undoes the other. */
function onStorage(event) {
  const j = app.judge;
  if (!j.base || j.sheet.judge === "" || event.key !== sheetKey(j.storage, j.sheet.judge)) return;
  const project = j.sheet.project;
  j.sheet = readSheet(j.sheet.judge);
  j.sheet.project = project;
  renderProjectOptions();
  renderProject();
  renderSheetStatus();
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

/** Renders everything that depends on the source (and the language). */
function renderJudgeSource() {
  const j = app.judge;
  const sourceLine = !j.source
    ? t("judge.noSource")
    : j.source.kind === "sample"
      ? t("judge.sourceSample")
      : j.source.kind === "url"
        ? t("judge.sourceURL", { name: j.source.name })
        : t("judge.sourceFile", { name: j.source.name });
  $("judge-source").textContent = sourceLine;
  $("judge-stage").textContent = j.stage ? t("judge.stage", { digest: shortDigest(j.stage) }) : "";
  renderProblems($("judge-problems"), $("judge-problems-box"), j.problems);
  show($("sheet"), Boolean(j.base));
  if (!j.base) return;

  $("judge-ids").replaceChildren(...j.judges.map((x) => h("option", { value: x.id })));
  const idInput = $("judge-id");
  if (document.activeElement !== idInput) idInput.value = j.sheet.judge;
  renderJudgeIdMessage();
  const open = j.sheet.judge !== "";
  show($("sheet-body"), open);
  show($("sheet-work"), open);
  $("judge-current").textContent = open ? t("judge.current", { id: j.sheet.judge }) : t("judge.noneOpen");
  if (!open) return;
  renderProjectOptions();
  renderCriteria();
  renderProject();
  renderExportMessage();
  renderSheetStatus();
  renderSaved();
}

function renderJudgeIdMessage() {
  const j = app.judge;
  const id = $("judge-id").value.trim();
  let message = "";
  if (id !== "" && !ID_FORM.test(id)) message = t("judge.idInvalid", { id });
  else if (id !== "" && j.judges.length > 0 && !j.judges.some((x) => x.id === id)) message = t("judge.idUnknown", { id });
  const node = $("judge-id-msg");
  node.textContent = message;
  show(node, message !== "");
  $("judge-open").disabled = id === "" || !ID_FORM.test(id) || id === j.sheet.judge;
}

/**
 * Option text: id, title, and a mark once the engine finds every
 * criterion validly scored. The engine is asked only when every criterion
 * has an entry, so a long project list stays cheap to draw.
 */
function projectOptionText(id) {
  const title = projectInfo(id)?.title;
  return `${projectComplete(id) ? t("judge.completeMark") + " " : ""}${id}${title ? " — " + title : ""}`;
}

function projectComplete(id) {
  const entered = enteredScores(id);
  return entered.size >= app.judge.base.criteria.length && scoreSheet(entered).value?.complete === true;
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

/** The label of criterion id of the judge's rubric. */
function judgeCriterionLabel(id) {
  return criterionLabel((app.judge.rubric?.criteria || []).find((r) => r.id === id) || { id });
}

/** One row per criterion: label, range hint, input, contribution and its bar. */
function renderCriteria() {
  const j = app.judge;
  const rubricCriteria = j.rubric.criteria || [];
  const rows = j.base.criteria.map((c) => {
    const criterion = rubricCriteria.find((r) => r.id === c.id) || { id: c.id };
    const ids = j.criteria.get(c.id);
    const range = c.step
      ? t("judge.rangeStep", { min: localNumber(c.min), max: localNumber(c.max), step: localNumber(c.step) })
      : t("judge.range", { min: localNumber(c.min), max: localNumber(c.max) });
    const hint = [range, t("judge.weight", { weight: localNumber(c.weight) })];
    if (criterion.threshold) hint.push(t("judge.threshold", { threshold: localNumber(criterion.threshold) }));
    const input = h("input", {
      type: "text",
      id: ids.input,
      "data-testid": `score:${c.id}`,
      "data-criterion": c.id,
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      dir: "ltr",
      pattern: DECIMAL_PATTERN,
      placeholder: `${c.min}–${c.max}`,
      "aria-describedby": `${ids.hint} ${ids.err}`,
    });
    input.addEventListener("input", onScoreInput);
    input.addEventListener("keydown", onScoreKey);
    return h(
      "div",
      { class: "crit", "data-criterion": c.id },
      h("label", { for: ids.input, class: "crit-label", dir: "auto" }, criterionLabel(criterion)),
      h("p", { class: "hint", id: ids.hint }, hint.join(" · ")),
      input,
      h(
        "p",
        { class: "contrib num", dir: "ltr", title: t("judge.contribution") },
        h("span", { class: "visually-hidden" }, t("judge.contribution") + " "),
        h("span", { id: ids.contrib, "data-testid": `contrib:${c.id}` }),
        " / ",
        h("span", { id: ids.max, "data-testid": `contrib-max:${c.id}` }, localNumber(c.contribution_max)),
      ),
      h("div", { class: "bar", "aria-hidden": "true" }, h("div", { class: "fill", id: ids.bar })),
      h("p", { class: "error", id: ids.err, hidden: true, dir: "auto" }),
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
  const row = j.sheet.values.get(project);
  for (const c of j.base.criteria) {
    const input = $(j.criteria.get(c.id).input);
    input.value = row?.get(c.id) || "";
    input.disabled = project === "";
  }
  $("clear-project").disabled = project === "";
  recompute();
}

/** Warns a judge whose scores on this project will be excluded (SPEC.md sections 2 and 7). */
function renderConflictMessage() {
  const j = app.judge;
  const me = j.judges.find((x) => x.id === j.sheet.judge);
  const project = projectInfo(j.sheet.project);
  let key = null;
  if (me && project && me.conflicts.includes(project.id)) key = "judge.conflict";
  else if (me && project && me.cooperative !== "" && me.cooperative === project.cooperative) key = "judge.sameCoop";
  else if (me && project && me.abstains.includes(project.id)) key = "judge.abstains";
  const node = $("project-msg");
  node.textContent = key ? t(key) : "";
  show(node, key !== null);
}

/** An engine problem in the page's language, criteria named by their labels. */
function engineMessage(problem, labelOf = judgeCriterionLabel) {
  return problemMessage(app.lang, problem, { criterionLabel: labelOf });
}

/**
 * Scores the current project's entries and renders the answer. An entry the
 * engine refuses is flagged on its field, and the others are scored again
 * without it, so the judge keeps seeing a total while correcting a typo.
 */
function recompute() {
  const j = app.judge;
  if (!j.base || j.sheet.judge === "") return;
  const entered = enteredScores(j.sheet.project);
  let answer = scoreSheet(entered);
  const fieldErrors = new Map();
  let general = [];
  if (answer.problems) {
    for (const p of answer.problems) {
      const id = /^scores\.(.+)$/.exec(p.path || "")?.[1];
      if (id && entered.has(id)) fieldErrors.set(id, engineMessage(p));
      else general.push(p);
    }
    if (general.length === 0) {
      const valid = new Map([...entered].filter(([id]) => !fieldErrors.has(id)));
      answer = scoreSheet(valid);
      if (answer.problems) general = answer.problems;
    }
  }
  renderFieldErrors(fieldErrors);
  renderSheet(answer.value || null, fieldErrors.size > 0);
  if (general.length > 0 || j.problems.length > 0) setJudgeProblems(general);
  updateProjectOption(j.sheet.project);
}

function renderFieldErrors(fieldErrors) {
  const j = app.judge;
  for (const c of j.base.criteria) {
    const ids = j.criteria.get(c.id);
    const input = $(ids.input);
    const message = fieldErrors.get(c.id) || "";
    input.setCustomValidity(message);
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    const err = $(ids.err);
    err.textContent = message;
    show(err, message !== "");
  }
}

/** Shows a live sheet: the engine's strings, unchanged. */
function renderSheet(answer, hasErrors) {
  const j = app.judge;
  const criteria = j.base.criteria;
  $("total").textContent = localNumber(answer?.total ?? "");
  $("total-max").textContent = localNumber(answer?.total_max ?? j.base.total_max);
  setBar($("total-bar"), answer?.total, answer?.total_max);
  let scored = 0;
  for (const c of answer?.criteria || criteria.map((x) => ({ ...x, contribution: null, score: null }))) {
    const ids = j.criteria.get(c.id);
    $(ids.contrib).textContent = localNumber(c.contribution ?? "");
    $(ids.max).textContent = localNumber(c.contribution_max);
    setBar($(ids.bar), c.contribution, c.contribution_max);
    if (c.score !== null && c.score !== undefined) scored++;
  }
  $("completion").textContent = answer?.complete ? t("judge.complete") : t("judge.incomplete", { done: scored, all: criteria.length });
  const note = $("sheet-note");
  note.textContent = hasErrors ? t("judge.invalidNotCounted") : "";
  show(note, hasErrors);
}

function onScoreInput(event) {
  const input = event.target;
  const sheet = app.judge.sheet;
  const clean = normaliseDecimalText(input.value);
  if (clean !== input.value) {
    const caret = input.selectionStart;
    input.value = clean;
    input.setSelectionRange(caret, caret);
  }
  setEntered(sheet, sheet.project, input.dataset.criterion, clean);
  sheet.dirty = true;
  app.judge.exportMsg = null;
  renderExportMessage();
  saveSheet();
  recompute();
  renderSheetStatus();
}

/** Enter moves to the next criterion, as a jury fills a paper sheet. */
function onScoreKey(event) {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const inputs = [...$("criteria").querySelectorAll("input")];
  const next = inputs[inputs.indexOf(event.target) + 1];
  (next || $("export-json")).focus();
}

function onJudgeIdInput() {
  renderJudgeIdMessage();
}

/**
 * Switches to the sheet of the judge id typed: asks first when the open
 * sheet has scores, and never gives them to the new judge — they stay
 * saved under the judge who typed them.
 */
function onOpenJudge() {
  const j = app.judge;
  const id = $("judge-id").value.trim();
  if (!ID_FORM.test(id) || id === j.sheet.judge) return;
  if (j.sheet.judge !== "" && j.sheet.values.size > 0 && !window.confirm(t("judge.switchConfirm", { from: j.sheet.judge, to: id }))) {
    $("judge-id").value = j.sheet.judge;
    renderJudgeIdMessage();
    return;
  }
  openSheet(id);
  saveSheet();
  renderJudgeSource();
  $("project").focus();
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
  const sheet = app.judge.sheet;
  const project = sheet.project;
  if (!project || !window.confirm(t("judge.clearConfirm", { id: project }))) return;
  if (sheet.values.delete(project)) sheet.dirty = true;
  saveSheet();
  renderProject();
  renderSheetStatus();
}

// ---------------------------------------------------------------------------
// Judge mode: export and sign-off

/**
 * Every score the judge entered, for every project, as the engine reads
 * them: [{judge, project, criterion, score}] in project then rubric order,
 * with the projects left incomplete; or the problems that stop the export,
 * each pointing at its field.
 */
function collectSheet() {
  const sheet = app.judge.sheet;
  const scores = [];
  const problems = [];
  const incomplete = [];
  for (const project of judgeProjectIds()) {
    const entered = enteredScores(project);
    if (entered.size === 0) continue;
    const answer = scoreSheet(entered);
    if (answer.problems) {
      for (const p of answer.problems) {
        const criterion = /^scores\.(.+)$/.exec(p.path || "")?.[1];
        problems.push({ key: "judge.projectError", params: { project, criterion: judgeCriterionLabel(criterion), message: engineMessage(p) }, target: { project, criterion } });
      }
      continue;
    }
    if (!answer.value.complete) incomplete.push(project);
    for (const c of answer.value.criteria) {
      if (c.score !== null) scores.push({ judge: sheet.judge, project, criterion: c.id, score: c.score });
    }
  }
  if (problems.length > 0) return { problems: [{ key: "judge.exportFix", params: { count: problems.length } }, ...problems] };
  if (scores.length === 0) return { problems: [{ key: "judge.exportNothing" }] };
  return { scores, incomplete };
}

/**
 * Issues the sheet's next version when it changed since the last one (or
 * to sign it off), and returns the identity the exported file carries.
 */
function issueVersion({ signOff }) {
  const sheet = app.judge.sheet;
  const last = sheet.issued;
  if (!last || sheet.dirty || (signOff && !last.signedOff)) {
    sheet.seq += 1;
    sheet.issued = { seq: sheet.seq, time: new Date().toISOString().replace(/\.\d+Z$/, "Z"), signedOff: signOff };
    sheet.dirty = false;
    saveSheet();
  }
  return { judge: sheet.judge, dataset: app.judge.stage, seq: sheet.issued.seq, time: sheet.issued.time, signed_off: sheet.issued.signedOff };
}

function exportSheet(kind, { signOff = false } = {}) {
  const j = app.judge;
  const collected = collectSheet();
  if (collected.problems) {
    j.exportMsg = collected.problems[0];
    setJudgeProblems(collected.problems.slice(1));
    renderExportMessage();
    $("judge-problems-box").scrollIntoView({ block: "nearest" });
    return null;
  }
  if (signOff && collected.incomplete.length > 0 && !window.confirm(t("judge.signOffIncomplete", { count: collected.incomplete.length, projects: collected.incomplete.join(", ") }))) {
    return null;
  }
  setJudgeProblems([]);
  const identity = issueVersion({ signOff });
  const text = kind === "csv" ? sheetCSV(identity, collected.scores) : sheetJSON(identity, collected.scores);
  if (kind !== "qr") download(`afkar-sheet-${identity.judge}-v${identity.seq}.${kind}`, text, kind === "csv" ? "text/csv" : "application/json");
  j.exportMsg = collected.incomplete.length
    ? { key: "judge.exportedIncomplete", params: { count: collected.scores.length, seq: identity.seq, incomplete: collected.incomplete.length, projects: collected.incomplete.join(", ") } }
    : { key: "judge.exported", params: { count: collected.scores.length, seq: identity.seq } };
  renderExportMessage();
  renderSheetStatus();
  return { identity, text };
}

/** The sheet as JSON, one score a line, so that a person can read it too. */
function sheetJSON(identity, scores) {
  const q = JSON.stringify;
  const lines = scores.map((x) => `    {"judge": ${q(x.judge)}, "project": ${q(x.project)}, "criterion": ${q(x.criterion)}, "score": ${q(x.score)}}`);
  return (
    `{\n  "judge": ${q(identity.judge)},\n  "dataset": ${q(identity.dataset)},\n  "seq": ${identity.seq},\n` +
    `  "time": ${q(identity.time)},\n  "signed_off": ${identity.signed_off},\n  "scores": [\n${lines.join(",\n")}\n  ]\n}\n`
  );
}

/** The sheet as CSV: the command line's long form, the sheet's identity on every line. */
function sheetCSV(identity, scores) {
  const rows = scores.map((s) => csvLine([s.project, s.judge, s.criterion, s.score, identity.dataset, identity.seq, identity.time, String(identity.signed_off)]));
  return csvLine(["project", "judge", "criterion", "score", "dataset", "seq", "time", "signed_off"]) + rows.join("");
}

function renderExportMessage() {
  const msg = app.judge.exportMsg;
  $("export-msg").textContent = msg ? problemText(msg) : "";
}

/** Where the sheet stands: its last version, signed off or not, and changes since. */
function renderSheetStatus() {
  const sheet = app.judge.sheet;
  const node = $("sheet-status");
  const last = sheet.issued;
  let text = t("judge.versionNone");
  if (last) {
    const time = new Date(last.time).toLocaleString(TIME_LOCALE[app.lang]);
    text = t(last.signedOff ? "judge.versionSigned" : "judge.versionExported", { seq: last.seq, time });
    if (sheet.dirty) text += " " + t(last.signedOff ? "judge.changedSinceSigned" : "judge.changedSince", { seq: last.seq, next: last.seq + 1 });
  }
  node.textContent = text;
  node.className = last?.signedOff && !sheet.dirty ? "signed" : sheet.dirty && last?.signedOff ? "warn" : "muted";
  node.dataset.seq = String(last?.seq ?? 0);
  node.dataset.signed = String(Boolean(last?.signedOff && !sheet.dirty));
}

/** Goes to the field of a problem that blocks the export. */
function goToProblem(target) {
  const j = app.judge;
  if (!target?.project) return;
  j.sheet.project = target.project;
  saveSheet();
  renderProject();
  const ids = j.criteria.get(target.criterion);
  const input = ids && $(ids.input);
  if (input) {
    input.scrollIntoView({ block: "center" });
    input.focus();
  }
}

// ---------------------------------------------------------------------------
// Organiser mode

async function onDatasetFile(event) {
  const file = event.target.files?.[0];
  if (!file) return;
  app.org.datasetURL = "";
  try {
    $("dataset-text").value = await readFile(file);
    evaluateOrganiser();
  } catch (err) {
    setOrgProblems([{ path: file.name, message: String(err?.message || err) }]);
  }
}

function useOrganiserSample() {
  app.org.datasetURL = "";
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
      addSheet(file.name, await readFile(file));
    } catch (err) {
      problems.push({ path: file.name, message: String(err?.message || err) });
    }
  }
  input.value = ""; // so that the same file can be added again after a fix
  renderSheetList();
  if (problems.length > 0) return setOrgProblems(problems);
  evaluateOrganiser();
}

/** Adds a judge's sheet (JSON or CSV text) to merge; the engine reads it at evaluation. */
function addSheet(name, text) {
  app.org.sheets.push({ name, text });
  app.org.reports = [];
}

function removeSheet(index) {
  app.org.sheets.splice(index, 1);
  app.org.reports = [];
  renderSheetList();
  const list = $("sheets-list");
  (list.querySelector("button") || $("sheets-file")).focus();
  evaluateOrganiser();
}

/** One line a sheet: its file, and once merged its judge, version, sign-off and fate. */
function renderSheetList() {
  const reports = app.org.reports || [];
  const items = app.org.sheets.map((sheet, index) => {
    const remove = h("button", { type: "button", class: "secondary small", "aria-label": t("org.removeSheetLabel", { name: sheet.name }) }, t("org.removeSheet"));
    remove.addEventListener("click", () => removeSheet(index));
    const r = reports[index];
    const about = r ? sheetReportText(r) : "";
    return h(
      "li",
      { class: r ? `sheet-${r.status}${r.unverified ? " sheet-unverified" : ""}` : null, "data-status": r?.status || null },
      h("span", { dir: "auto", class: "sheet-name" }, sheet.name),
      about ? h("span", { class: "sheet-about", dir: "auto" }, about) : null,
      remove,
    );
  });
  if (items.length === 0) items.push(h("li", { class: "muted" }, t("org.sheetsNone")));
  $("sheets-list").replaceChildren(...items);
}

function sheetReportText(r) {
  const parts = [t("org.sheetJudge", { judge: r.judge || "?" })];
  if (r.seq) parts.push(t("org.sheetVersion", { seq: r.seq }));
  if (r.time) parts.push(new Date(r.time).toLocaleString(TIME_LOCALE[app.lang]));
  if (r.signed_off) parts.push(t("org.sheetSigned"));
  parts.push(t("org.sheetScores", { count: r.scores }));
  const status = r.status === "merged" ? t("org.sheetMerged") : t(`org.sheet.${r.status}`, { by: r.by || "" });
  parts.push(status);
  if (r.unverified) parts.push(t("org.sheetUnverified"));
  return parts.join(" · ");
}

function setOrgProblems(problems) {
  app.org.problems = problems;
  renderProblems($("problems"), $("problems-box"), problems, organiserLabel);
}

/** Names a merge problem after the sheet's file rather than its index. */
function sheetProblem(problem) {
  const match = /^sheets\[(\d+)\](\.?)(.*)$/.exec(problem.path || "");
  const sheet = match && app.org.sheets[Number(match[1])];
  if (!sheet) return problem;
  return { ...problem, path: match[3] ? `${sheet.name}: ${match[3]}` : sheet.name };
}

/** A criterion's label in the organiser's dataset, or its id. */
function organiserLabel(id) {
  const criteria = app.org.dataset?.rubric?.criteria || [];
  return criterionLabel(criteria.find((c) => c.id === id) || { id });
}

/**
 * Merges the sheets into the dataset (when there are sheets), evaluates,
 * and renders the result or the problems. The dataset text goes to the
 * engine as the user gave it. Sheets without a dataset are refused: only
 * the stage's dataset says how they are scored, who is in conflict, and
 * how ties are broken.
 */
function evaluateOrganiser() {
  const org = app.org;
  const text = $("dataset-text").value;
  const hasDataset = text.trim() !== "";
  org.status = null;
  if (!hasDataset) {
    clearResult();
    org.status = { key: org.sheets.length > 0 ? "org.sheetsNeedDataset" : "org.needDataset" };
    setOrgProblems([]);
    renderOrgStatus();
    $("dataset-file").focus();
    return;
  }
  let datasetText = text;
  if (org.sheets.length > 0) {
    const merged = mergeSheets(text);
    if (merged.problems) {
      clearResult();
      org.reports = [];
      renderSheetList();
      return setOrgProblems(merged.problems);
    }
    datasetText = JSON.stringify(merged.value.dataset);
    org.reports = merged.value.sheets;
    const count = (status) => org.reports.filter((r) => r.status === status).length;
    org.status = {
      key: "org.merged",
      params: { count: count("merged"), superseded: count("superseded"), duplicate: count("duplicate"), unverified: org.reports.filter((r) => r.unverified).length },
    };
  }
  const result = callEngine("evaluate", datasetText);
  if (result.problems) {
    clearResult();
    renderOrgStatus();
    return setOrgProblems(result.problems);
  }
  org.resultText = result.text;
  org.result = result.value;
  org.swing = null;
  org.dataset = JSON.parse(datasetText); // valid: the engine just read it
  setOrgProblems([]);
  renderOrganiser();
}

/**
 * Asks the engine to merge the sheets into the dataset, splicing the
 * dataset's text into the request so that no decimal goes through a
 * JavaScript number; the sheets travel as strings. The engine checks each
 * sheet's dataset digest, judge and version.
 */
function mergeSheets(datasetText) {
  try {
    JSON.parse(datasetText);
  } catch {
    return { problems: callEngine("validate", datasetText).problems || [] };
  }
  const sheets = JSON.stringify(app.org.sheets.map((s) => ({ name: s.name, text: s.text })));
  const merged = callEngine("mergeSheets", `{"dataset":${datasetText},"sheets":${sheets}}`);
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
  renderProblems($("problems"), $("problems-box"), org.problems, organiserLabel);
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
 * The result's sections: the rules in force, by group first when there
 * are groups (selection is per group, as in the command line's table),
 * then the overall order, the projects not ranked and the excluded scores,
 * with links to each.
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
  const parts = [section("res-rules", t("org.rules"), rulesPanel(dataset, ctx))];
  if (ctx.groupBy && ranked.length) {
    const tables = groupOrder(ranked, ctx).map((g) => rankingTable(groupMembers(ranked, g, ctx), ctx, { grouped: true, caption: groupName(g, ctx.groupBy) }));
    parts.push(section("res-groups", t("org.byGroup", { by: groupByName(ctx.groupBy) }), tables));
  }
  parts.push(
    section("res-overall", t("org.overall"), ranked.length ? rankingTable(ranked, ctx, { grouped: false, caption: t("org.overall") }) : h("p", {}, t("org.noneRanked"))),
  );
  if (unranked.length) parts.push(section("res-unranked", `${t("org.notRanked")} (${unranked.length})`, unrankedTable(unranked, ctx)));
  if (excluded.length) parts.push(section("res-excluded", `${t("org.excluded")} (${excluded.length})`, excludedList(excluded, ctx)));
  if (projects.some((p) => p.selected)) parts.push(section("res-swing", t("swing.heading"), swingPanel(ctx)));
  const nav = h("nav", { class: "result-nav", "aria-label": t("org.sections") }, h("ul", {}, sections.map((s) => h("li", {}, h("a", { href: `#${s.id}` }, s.title)))));
  return [nav, ...parts];
}

/**
 * The rules in force, in words, from the dataset as the engine rewrote it
 * (every default spelled out): how totals are made, who is eligible, how
 * ties are broken, how ranks are numbered, what is selected.
 */
function rulesPanel(dataset, ctx) {
  const rubric = dataset?.rubric || {};
  const rk = dataset?.ranking || {};
  const items = [];
  const agg = rubric.aggregation?.method || "mean";
  items.push(t(`rules.aggregation.${agg}`, { trim: rubric.aggregation?.trim ?? "" }));
  items.push(t("rules.total", { max: localNumber(rubric.total_max || "100"), places: rubric.rounding?.places ?? 2, mode: t(`rules.rounding.${rubric.rounding?.mode || "half_up"}`) }));
  const weights = ctx.criteria.map((c) => t("rules.weight", { criterion: ctx.labels.get(c.id), weight: localNumber(c.weight) }));
  items.push(t("rules.weights", { list: weights.join(t("list.separator")) }));
  if (rubric.min_judges) items.push(t("rules.quorum", { count: rubric.min_judges }));
  for (const c of ctx.criteria) {
    if (c.threshold) items.push(t("rules.threshold", { criterion: ctx.labels.get(c.id), threshold: localNumber(c.threshold) }));
  }
  if (rubric.total_threshold) items.push(t("rules.totalThreshold", { threshold: localNumber(rubric.total_threshold) }));
  items.push(t("rules.exclusions"));
  const chain = (rk.tie_break || []).map((rule) => tieRuleName(rule, ctx));
  items.push(chain.length ? t("rules.tieBreak", { chain: chain.join(" → "), on: t(`rules.tieOn.${rk.tie_on || "rounded"}`) }) : t("rules.noTieBreak"));
  items.push(t("rules.style", { style: t(`rules.style.${rk.style || "competition"}`) }));
  if (rk.top > 0) {
    items.push(ctx.groupBy ? t("rules.topPerGroup", { top: rk.top, by: groupByName(ctx.groupBy) }) : t("rules.top", { top: rk.top }));
  } else {
    items.push(t(ctx.groupBy ? "rules.groupsNoSelection" : "rules.noSelection", { by: groupByName(ctx.groupBy) }));
  }
  return h("ul", { class: "rules", "data-testid": "rules" }, items.map((text) => h("li", { dir: "auto" }, text)));
}

/** A tie-break rule in words, for the rules panel. */
function tieRuleName(rule, ctx) {
  const [name, ...rest] = String(rule).split(":");
  const arg = rest.join(":");
  switch (name) {
    case "criterion":
      return t("rules.rule.criterion", { criterion: ctx.labels.get(arg) || arg });
    case "lottery":
      return t("rules.rule.lottery", { seed: arg });
    case "head_to_head":
    case "submitted_at":
    case "id":
      return t(`rules.rule.${name}`);
    default:
      return rule;
  }
}

/**
 * The one-juror swing (package analysis/swing), computed on demand: it
 * ranks the dataset many times, so it waits for the organiser's click.
 * The answer is shown as the engine gave it; app.org.swing keeps it for a
 * change of language.
 */
function swingPanel(ctx) {
  const box = h("div", { id: "swing-box", "data-testid": "swing-box" });
  const button = h("button", { type: "button", id: "swing-run", "data-testid": "swing-run", class: "secondary" }, t("swing.run"));
  const status = h("p", { class: "muted", role: "status", id: "swing-status" });
  button.addEventListener("click", () => {
    status.textContent = t("swing.computing");
    button.disabled = true;
    // Let the page draw the message before the engine takes the thread.
    setTimeout(() => {
      const answer = callEngine("swing", JSON.stringify(app.org.dataset));
      button.disabled = false;
      status.textContent = "";
      if (answer.problems) return setOrgProblems(answer.problems);
      app.org.swing = answer.value;
      box.replaceChildren(...swingView(answer.value, ctx));
    }, 30);
  });
  if (app.org.swing) box.replaceChildren(...swingView(app.org.swing, ctx));
  return [h("p", { class: "muted", dir: "auto" }, t("swing.explain")), button, status, box];
}

/** The swing report: per boundary, each juror's least change that flips it. */
function swingView(report, ctx) {
  if (!report.covered) return [h("p", { dir: "auto", class: "warn" }, t("swing.notCovered", { reason: report.reason }))];
  return report.boundaries.map((b) => {
    const caption = t("swing.boundary", { group: b.group ? groupName(b.group, ctx.groupBy) : t("org.overall"), last: b.last, first: b.first });
    const head = [t("col.judge"), t("swing.size"), t("swing.changes")];
    const body = b.swings.map((s) => {
      const changes = s.changes.map((c) => t("swing.change", { project: c.project, criterion: ctx.labels.get(c.criterion) || c.criterion, from: localNumber(c.from), to: localNumber(c.to) }));
      const size = s.flips ? localNumber(s.size) : t(s.undecided ? "swing.undecided" : "swing.never");
      return h("tr", { "data-judge": s.judge }, cell(s.judge, t("col.judge"), { dir: "ltr" }), cell(size, t("swing.size"), { class: "num" }), cell(changes.join(t("list.separator")), t("swing.changes"), { dir: "auto" }));
    });
    return tableBox(caption, head, body, "swing");
  });
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

/** A table cell; label names its column on a phone, where rows are cards. */
const cell = (text, label, props = {}) => h("td", { ...props, "data-label": label }, text ?? "");
const num = (text, label, props = {}) => cell(text === null || text === undefined ? "" : localNumber(text), label, { dir: "ltr", ...props, class: `num ${props.class || ""}`.trim() });

/**
 * A ranking table; on a phone each row is a card (style.css) with rank,
 * project, total, selection and the reasons first. The last column says,
 * in words, why each project is ahead of the next one in this table and,
 * when a tie-break (not the total) placed it behind the previous one, why
 * that one is ahead: every row of a tie explains itself.
 */
function rankingTable(rows, ctx, { grouped, caption }) {
  const head = [t("col.rank"), t("col.project"), t("col.total"), t("col.selected"), t("col.why")];
  if (!grouped && ctx.groupBy) head.push(t("col.group"), t("col.groupRank"));
  head.push(...ctx.criteria.map((c) => ctx.labels.get(c.id)), t("col.judges"));
  const decidedOf = (p) => (grouped ? p.group_decided_by : p.decided_by);
  const body = rows.map((p, i) => {
    const title = ctx.titles.get(p.id);
    const why = [];
    if (i > 0 && decidedOf(rows[i - 1]) !== "total") {
      why.push(h("span", { class: "why-line", dir: "auto" }, t("why.after", { id: rows[i - 1].id, why: whyAhead(decidedOf(rows[i - 1]), ctx) })));
    }
    if (i < rows.length - 1) {
      why.push(h("span", { class: "why-line", dir: "auto" }, t("why.ahead", { id: rows[i + 1].id, why: whyAhead(decidedOf(p), ctx) })));
    }
    const cells = [
      num(grouped ? p.group_rank : p.rank, t("col.rank"), { class: "rank" }),
      h("td", { class: "project", "data-label": t("col.project") }, h("span", { class: "id", dir: "ltr" }, p.id), title ? h("span", { class: "title", dir: "auto" }, title) : null),
      num(p.total, t("col.total"), { class: "total" }),
      h("td", { class: "sel", "data-label": t("col.selected") }, p.selected ? h("span", { class: "badge" }, t("badge.selected")) : h("span", { class: "muted" }, t("badge.notSelected"))),
      h("td", { class: "why", "data-label": t("col.why") }, why),
    ];
    if (!grouped && ctx.groupBy) cells.push(cell(groupName(p.group ?? "", ctx.groupBy, { short: true }), t("col.group"), { dir: "auto", title: p.group ?? "", class: "extra" }), num(p.group_rank, t("col.groupRank"), { class: "extra" }));
    cells.push(...ctx.criteria.map((c) => num(p.criteria?.[c.id], ctx.labels.get(c.id), { class: "extra" })), num(p.judges, t("col.judges"), { class: "extra" }));
    cells.push(h("td", { class: "compact", dir: "auto" }, compactLine(p, ctx, grouped)));
    return h("tr", { class: p.selected ? "selected" : null, "data-id": p.id }, cells);
  });
  return tableBox(caption, head, body, "ranking");
}

/** The cells a phone's card leaves out, in one line: group, criteria, judges. */
function compactLine(p, ctx, grouped) {
  const parts = [];
  if (!grouped && ctx.groupBy) parts.push(`${groupName(p.group ?? "", ctx.groupBy, { short: true })} #${p.group_rank ?? ""}`);
  for (const c of ctx.criteria) parts.push(`${ctx.labels.get(c.id)} ${localNumber(p.criteria?.[c.id] ?? "–")}`);
  parts.push(`${t("col.judges")} ${p.judges}`);
  return parts.join(" · ");
}

function unrankedTable(rows, ctx) {
  const head = [t("col.project"), t("col.reasons"), t("col.total"), t("col.judges")];
  const sep = t("list.separator");
  const body = rows.map((p) => {
    const title = ctx.titles.get(p.id);
    return h(
      "tr",
      { "data-id": p.id },
      h("td", { class: "project", "data-label": t("col.project") }, h("span", { class: "id", dir: "ltr" }, p.id), title ? h("span", { class: "title", dir: "auto" }, title) : null),
      cell((p.reasons || []).map((r) => reasonText(r, ctx)).join(sep), t("col.reasons"), { dir: "auto", class: "why" }),
      num(p.total, t("col.total"), { class: "total" }),
      num(p.judges, t("col.judges"), { class: "extra" }),
    );
  });
  return tableBox(t("org.notRanked"), head, body, "ranking unranked");
}

/** A table in a box that scrolls sideways on a wide table and can be scrolled with the keyboard. */
function tableBox(caption, head, body, kind = "") {
  const table = h("table", { class: kind || null }, h("caption", {}, caption), h("thead", {}, h("tr", {}, head.map((text) => h("th", { scope: "col" }, text)))), h("tbody", {}, body));
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
// Verifying a published tour offline (package tour, through the engine)

/**
 * Recomputes a tour from its file and the stages' datasets the organiser
 * picked: each dataset the tour names is matched by its file name. Shows
 * "verified", or every mismatch in the page's language, and the cut-offs
 * that only an id or a lottery decided.
 */
async function verifyTour() {
  const out = $("tour-result");
  const say = (...nodes) => out.replaceChildren(...nodes);
  const tourFile = $("tour-file").files?.[0];
  if (!tourFile) return say(h("p", { class: "warn" }, t("tour.needFile")));
  let tourText;
  let tourValue;
  const files = new Map();
  try {
    tourText = await readFile(tourFile);
    for (const f of $("tour-datasets").files || []) files.set(f.name, await readFile(f));
  } catch (err) {
    return say(h("p", { class: "error", dir: "auto" }, String(err?.message || err)));
  }
  try {
    tourValue = JSON.parse(tourText);
  } catch {
    tourValue = null; // the engine names the syntax error
  }
  const named = Array.isArray(tourValue?.stages) ? tourValue.stages.map((s) => s?.dataset).filter((d) => typeof d === "string") : [];
  const chosen = {};
  const missing = [];
  for (const path of named) {
    const base = path.split("/").pop();
    if (files.has(base)) chosen[path] = files.get(base);
    else missing.push(h("li", { dir: "auto" }, t("tour.missing", { name: base, path })));
  }
  if (missing.length) return say(h("p", { class: "warn" }, t("tour.missingHeading")), h("ul", {}, missing));
  const answer = callEngine("verifyTour", `{"tour":${tourValue ? tourText : JSON.stringify(tourText)},"files":${JSON.stringify(chosen)}}`);
  if (answer.problems) {
    return say(h("p", { class: "error" }, t("tour.unreadable")), h("ul", {}, answer.problems.map((p) => h("li", { dir: "auto" }, problemText(p, organiserLabel)))));
  }
  const v = answer.value;
  const ties = (v.ties || []).map((x) => h("li", { dir: "auto" }, t("tour.tie", { stage: x.stage || t("tour.wildcards"), in: x.in, out: x.out, by: x.decided_by })));
  if (v.verified) {
    return say(
      h("p", { class: "signed", "data-verified": "true" }, t("tour.verified", { stages: named.length, advanced: (v.advanced || []).length })),
      ties.length ? h("ul", {}, ties) : null,
    );
  }
  say(
    h("p", { class: "error", "data-verified": "false" }, t("tour.notVerified")),
    h("ul", {}, (v.mismatches || []).map((p) => h("li", { dir: "auto" }, problemText(p, organiserLabel)))),
    ties.length ? h("ul", {}, ties) : null,
  );
}

// ---------------------------------------------------------------------------
// QR codes: the stage onto phones, sheets back to the organiser, with no
// network (qr.js)

/** The labels showSequence draws, in the page's language. */
function sequenceOptions() {
  return {
    labels: { previous: t("qr.previous"), next: t("qr.next"), pause: t("qr.pause"), play: t("qr.play") },
    count: (i, n) => t("qr.count", { i, n }),
  };
}

/**
 * Shows texts as QR codes in box: one code, or a cycling sequence of
 * frames, with a close button. A second call replaces the first.
 */
function showCodes(box, frames, caption) {
  box.stopQR?.();
  const stop = showSequence(box, frames, sequenceOptions());
  const close = h("button", { type: "button", class: "secondary", "data-testid": "qr-close" }, t("qr.close"));
  const note = h("p", { class: "muted small", dir: "auto" }, caption);
  box.prepend(note);
  box.append(close);
  box.stopQR = () => {
    stop();
    note.remove();
    close.remove();
    box.stopQR = null;
    show(box, false);
  };
  close.addEventListener("click", () => box.stopQR?.());
  show(box, true);
  box.scrollIntoView({ block: "nearest" });
}

/** The juror's sheet as QR codes, a new version issued as for a file. */
async function exportSheetQR() {
  const exported = exportSheet("qr");
  if (!exported) return;
  const frames = await encodeChunks(exported.text);
  showCodes($("qr-box"), frames, t("qr.sheetCaption", { judge: exported.identity.judge, seq: exported.identity.seq, n: frames.length }));
}

/**
 * The stage for phones: a link to this page with ?dataset= when the
 * dataset came from this site (phones on the same network open it), else
 * the dataset itself without its scores, as a sequence of codes.
 */
async function shareStage() {
  const org = app.org;
  const text = $("dataset-text").value;
  if (text.trim() === "") {
    org.status = { key: "org.needDataset" };
    return renderOrgStatus();
  }
  if (org.datasetURL) {
    const link = datasetLink(org.datasetURL);
    return showCodes($("share-box"), [link], t("qr.linkCaption", { url: link }));
  }
  const canonical = canonicalDataset(text);
  if (canonical.problems) return setOrgProblems(canonical.problems);
  const stage = JSON.stringify({ ...canonical.value, scores: [] });
  const frames = await encodeChunks(stage);
  showCodes($("share-box"), frames, t("qr.stageCaption", { n: frames.length }));
}

/**
 * Scans QR codes into box until a whole set is read, from the camera or
 * from photos, then calls onText with the reassembled text. A link to
 * this page with ?dataset= is followed instead (a stage shared by link).
 */
function startScan(box, onText) {
  box.stopScan?.();
  const collector = new ChunkCollector();
  const controller = new AbortController();
  const video = h("video", { muted: true, playsinline: true, class: "scan-video", "aria-label": t("scan.video") });
  const status = h("p", { role: "status", class: "scan-status", "data-testid": "scan-status", dir: "auto" }, t("scan.start"));
  const photoId = `${box.id}-photo`;
  const photo = h("input", { type: "file", id: photoId, accept: "image/*", multiple: true, "data-testid": "scan-photo" });
  const stopButton = h("button", { type: "button", class: "secondary" }, t("scan.stop"));
  let finished = false;
  const stop = () => {
    controller.abort();
    box.replaceChildren();
    show(box, false);
    box.stopScan = null;
  };
  const say = (key, params) => (status.textContent = t(key, params));
  const take = async (text) => {
    if (finished) return;
    if (/^https?:/.test(text) && !text.startsWith("AFK")) {
      const url = new URL(text);
      if (url.origin === location.origin && url.searchParams.get("dataset")) {
        finished = true;
        stop();
        location.assign(url.href);
      }
      return;
    }
    const st = collector.add(text);
    if (st.error) return say(`scan.err.${st.error.code}`, { message: st.error.message });
    say("scan.progress", { have: st.have, total: st.total });
    if (!st.done) return;
    finished = true;
    try {
      const whole = await collector.text();
      stop();
      onText(whole);
    } catch (err) {
      finished = false;
      collector.reset();
      say(`scan.err.${err?.code || "corrupt"}`, { message: String(err?.message || err) });
    }
  };
  photo.addEventListener("change", async () => {
    for (const file of photo.files || []) {
      try {
        const text = await decodeImage(file);
        if (text) await take(text);
        else say("scan.noCode", { name: file.name });
      } catch (err) {
        say(`scan.err.${err?.code || "image"}`, { message: String(err?.message || err) });
      }
    }
    photo.value = "";
  });
  stopButton.addEventListener("click", stop);
  box.replaceChildren(video, status, h("div", { class: "field" }, h("label", { for: photoId }, t("scan.photo")), photo), stopButton);
  box.stopScan = stop;
  show(box, true);
  scanCamera(video, take, { signal: controller.signal }).catch((err) => {
    if (!controller.signal.aborted) say(`scan.err.${err?.code || "camera"}`, { message: String(err?.message || err) });
    video.hidden = true;
  });
}

/** A juror scans the stage's codes: the dataset becomes the juror's source. */
function scanStage() {
  startScan($("judge-scan-box"), (text) => loadJudgeSource(text, { kind: "file", name: t("scan.sourceName") }));
}

/** The organiser scans a juror's sheet: it joins the sheets to merge. */
function scanSheets() {
  startScan($("org-scan-box"), (text) => {
    let name = t("scan.sheetName", { n: app.org.sheets.length + 1 });
    try {
      const sheet = JSON.parse(text);
      if (typeof sheet?.judge === "string" && ID_FORM.test(sheet.judge)) name = `qr-${sheet.judge}-v${Number(sheet.seq) || 0}.json`;
    } catch {
      // a CSV sheet, or a problem the engine will name
    }
    addSheet(name, text);
    renderSheetList();
    evaluateOrganiser();
  });
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
  $("judge-id").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      onOpenJudge();
    }
  });
  $("judge-open").addEventListener("click", onOpenJudge);
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
  $("sign-off").addEventListener("click", () => exportSheet("json", { signOff: true }));
  $("export-qr").addEventListener("click", exportSheetQR);
  $("judge-scan").addEventListener("click", scanStage);
  $("share-stage").addEventListener("click", shareStage);
  $("scan-sheets").addEventListener("click", scanSheets);
  window.addEventListener("storage", onStorage);

  $("dataset-file").addEventListener("change", onDatasetFile);
  $("org-use-sample").addEventListener("click", useOrganiserSample);
  $("sheets-file").addEventListener("change", onSheetFiles);
  $("dataset-text").addEventListener("input", () => (app.org.datasetURL = ""));
  $("evaluate").addEventListener("click", evaluateOrganiser);
  $("tour-verify").addEventListener("click", verifyTour);
  $("download-json").addEventListener("click", () => download(resultFileName("json"), app.org.resultText, "application/json"));
  $("download-csv").addEventListener("click", () => download(resultFileName("csv"), resultCSV(app.org.result, app.org.dataset), "text/csv"));
}

/**
 * Reloads the judge's saved source and sheet, so a reload or a crash loses
 * nothing. The judge open in this tab comes first, then the one last
 * opened on this device.
 */
function restoreJudge() {
  let judge = "";
  try {
    judge = JSON.parse(sessionStorage.getItem(STORE.judge)) || "";
  } catch {
    // no tab storage: use the device's
  }
  judge = typeof judge === "string" && judge !== "" ? judge : loadStored(STORE.judge);
  if (typeof judge !== "string") judge = "";
  if (!judge) {
    const legacy = loadStored(STORE.legacySheet);
    if (isObject(legacy) && typeof legacy.judge === "string" && ID_FORM.test(legacy.judge.trim())) judge = legacy.judge.trim();
  }
  app.judge.sheet = emptySheet(judge);
  const source = loadStored(STORE.source);
  if (source?.kind === "sample") useJudgeSample();
  else if ((source?.kind === "file" || source?.kind === "url") && typeof source.text === "string") loadJudgeSource(source.text, source);
  else renderJudgeSource();
}

/**
 * Opens a dataset named in the page's address (?dataset=stage.json), from
 * this origin only: the organiser's QR code for phones points here. With
 * mode=organiser it becomes the organiser's dataset, else the judge's
 * source. A failure is said in the page, never silent.
 */
async function openDatasetFromURL() {
  const params = new URLSearchParams(location.search);
  const wanted = params.get("dataset");
  if (!wanted) return;
  const mode = params.get("mode") === "organiser" ? "organiser" : "judge";
  setMode(mode);
  let url;
  try {
    url = new URL(wanted, location.href);
  } catch {
    url = null;
  }
  const fail = (message) => {
    const problems = [{ key: "url.failed", params: { url: wanted, message } }];
    if (mode === "judge") setJudgeProblems(problems);
    else setOrgProblems(problems);
  };
  if (!url || url.origin !== location.origin) return fail(t("url.otherOrigin"));
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return fail(`HTTP ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_FILE_BYTES) return fail(t("file.tooLarge", { name: url.pathname, size: text.length }));
    const name = decodeURIComponent(url.pathname.split("/").pop() || url.pathname);
    if (mode === "judge") {
      loadJudgeSource(text, { kind: "url", name });
    } else {
      $("dataset-text").value = text;
      app.org.datasetURL = url.pathname + url.search;
      evaluateOrganiser();
    }
  } catch (err) {
    fail(String(err?.message || err));
  }
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
  if (new URLSearchParams(location.search).has("server-stage")) return connectServer(serverHooks());
  return openDatasetFromURL();
}

/**
 * What sync.js may do with judge mode when the page is opened from a
 * stage server's link (?server-stage=S&judge=J): load the stage as the
 * judge's source, open the juror's sheet, read and replace its scores, and
 * hear of every save.
 */
function serverHooks() {
  setMode("judge");
  return {
    loadSource: (text, name, storage, stageDigest) => loadJudgeSource(text, { kind: "url", name, storage, stageDigest }),
    openJudge(id) {
      if (app.judge.sheet.judge !== id) openSheet(id);
      $("judge-id").value = id;
      saveSheet();
      renderJudgeSource();
    },
    collect: () => collectSheet(),
    // Every entry of the open sheet, as typed (scores to merge with the
    // server's, even while one of them is not yet a valid score).
    entries: () =>
      [...app.judge.sheet.values].flatMap(([project, row]) => [...row].map(([criterion, score]) => ({ project, criterion, score: score.trim() }))).filter((e) => e.score !== ""),
    setScores(scores) {
      const sheet = app.judge.sheet;
      sheet.values = new Map();
      for (const s of scores) setEntered(sheet, s.project, s.criterion, String(s.score));
      sheet.dirty = true;
      saveSheet();
      renderJudgeSource();
    },
    onSave: (fn) => (app.onSave = fn),
    lang: () => app.lang,
  };
}

async function main() {
  const storedLang = loadStored(STORE.lang);
  app.lang = LANGUAGES.includes(storedLang) ? storedLang : preferredLanguage();
  app.judge.sheet = emptySheet("");
  wireEvents();
  setMode(loadStored(STORE.mode) || "judge");
  renderLanguage();
  let engine;
  try {
    engine = await startEngine();
  } catch (err) {
    $("ready").hidden = true;
    showEngineError(t("engine.failed", { message: err?.message || String(err) }));
    return;
  }
  await onReady(engine);
}

main();
