// sync.js: judge mode connected to a stage server (afkar serve).
//
// The juror's link opens /join, which opens this page as
// /widget/?server-stage=S&judge=J. The page then loads the stage's rules
// and the ideas assigned to the juror from the server, and keeps every
// keystroke on the phone as before. Each change of the sheet is sent,
// whole, to PUT /api/stages/S/sheets/J, built on the server's version the
// phone last saw (If-Match): a retried upload is a duplicate the server
// ignores, a stale one comes back with the server's sheet, which is
// merged three ways (what the phone last synced, what the juror typed
// since, what the server now has: an organiser's withdrawal stays
// withdrawn, the juror's newer scores stay theirs) and sent again. Without
// network the sheet waits on the phone, and is sent when the network
// returns (the online event, and retries backing off up to 30 s).
//
// app.js gives this module a few hooks (serverHooks) and nothing else
// changes there.

const MESSAGES = {
  loading: { ar: "جارٍ تحميل المرحلة…", fr: "Chargement de l'étape…", en: "Loading the stage…" },
  synced: { ar: "محفوظ على الخادم (النسخة {v})", fr: "Enregistré sur le serveur (version {v})", en: "Saved on the server (version {v})" },
  signed: { ar: "وُقّعت الورقة وأُرسلت (النسخة {v})", fr: "Feuille signée et envoyée (version {v})", en: "Sheet signed off and sent (version {v})" },
  pending: { ar: "بدون شبكة: التغييرات محفوظة على الهاتف وستُرسل لاحقًا", fr: "Hors ligne : les changements sont gardés sur le téléphone et partiront au retour du réseau", en: "Offline: changes are kept on this phone and will be sent when the network returns" },
  sending: { ar: "جارٍ الإرسال…", fr: "Envoi…", en: "Sending…" },
  fix: { ar: "صحّح النقاط المشار إليها لإرسال الورقة", fr: "Corrigez les notes signalées pour envoyer la feuille", en: "Fix the scores shown to send the sheet" },
  session: { ar: "انتهت الجلسة: افتح رابطك من جديد أو اطلب رمزًا جديدًا", fr: "Session terminée : rouvrez votre lien ou demandez un nouveau code", en: "Your session ended: open your link again or ask for a new code" },
  refused: { ar: "رفض الخادم الورقة: {m}", fr: "Le serveur refuse la feuille : {m}", en: "The server refused the sheet: {m}" },
  signOff: { ar: "وقّع الورقة وأرسلها", fr: "Signer et envoyer", en: "Sign off and send" },
};

/** The server's sheet version a phone built on, and the scores it had. */
const stateKey = (stage, judge) => `afkar.sync.${stage}.${judge}`;
/** The stage as last loaded, for a reload without network. */
const workKey = (stage, judge) => `afkar.sync.work.${stage}.${judge}`;

/** A score's key in a sheet. */
const key = (s) => `${s.project}\u0000${s.criterion}`;

/** A decimal's canonical text: "15.50" and "15.5" are the same score. */
function canon(text) {
  let s = String(text).trim();
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s === "-0" ? "0" : s;
}

const toMap = (scores) => new Map(scores.map((s) => [key(s), canon(s.score)]));

/**
 * Merges three versions of a sheet: base (last synced), mine (the phone
 * now), theirs (the server now). A score the juror changed since base
 * keeps the juror's value; any other takes the server's (including its
 * absence: a withdrawal).
 */
export function merge3(base, mine, theirs) {
  const out = new Map();
  for (const k of new Set([...base.keys(), ...mine.keys(), ...theirs.keys()])) {
    const changedHere = base.get(k) !== mine.get(k);
    const v = changedHere ? mine.get(k) : theirs.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

function load(k) {
  try {
    return JSON.parse(localStorage.getItem(k));
  } catch {
    return null;
  }
}

function save(k, v) {
  try {
    localStorage.setItem(k, JSON.stringify(v));
  } catch {
    // full storage: the sheet itself is kept by app.js
  }
}

/**
 * Connects judge mode to the stage server named by the page's address.
 * hooks come from app.js: loadSource(text, name, storage, stageDigest), openJudge(id),
 * collect() → {scores} | {problems}, entries() → [{project, criterion,
 * score}] as typed, setScores([{project, criterion, score}]), onSave(fn),
 * lang().
 */
export async function connectServer(hooks, params = new URLSearchParams(location.search)) {
  const stage = params.get("server-stage");
  const judge = params.get("judge");
  if (!/^[0-9]+$/.test(stage || "") || !judge) return;
  const ui = statusLine(hooks);
  const say = (name, vars = {}) => ui.say(name, vars);
  const api = `/api/stages/${stage}/sheets/${encodeURIComponent(judge)}`;
  let csrf = "";
  let work = load(workKey(stage, judge));
  let state = load(stateKey(stage, judge)) || { base: 0, synced: [], signedOff: false };
  let busy = false;
  let again = false;
  let signOff = false;
  let delay = 2000;
  let timer = 0;
  let stopped = false;

  const persist = () => save(stateKey(stage, judge), state);

  async function session() {
    const r = await fetch("/api/session", { credentials: "same-origin" });
    if (r.status === 401) throw Object.assign(new Error("session"), { status: 401 });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    csrf = (await r.json()).csrf;
  }

  /** Loads the stage's rules and the juror's ideas as judge mode's source. */
  async function loadWork() {
    const r = await fetch(`${api}/work`, { credentials: "same-origin" });
    if (r.status === 401) throw Object.assign(new Error("session"), { status: 401 });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    work = await r.json();
    save(workKey(stage, judge), work);
    use(work);
    if (work.sheet.version > state.base) {
      // The server is ahead of what this phone last saw (a new phone, a
      // cleared one, or another device of the juror): merge three ways,
      // so that what the juror typed here stays and nothing of the
      // server's sheet is lost, whatever this phone held before.
      const base = new Map(state.synced);
      const theirs = toMap(work.sheet.scores);
      const merged = merge3(base, toMap(hooks.entries()), theirs);
      state = { base: work.sheet.version, synced: [...theirs], signedOff: work.sheet.signed_off };
      hooks.setScores([...merged].map(([k, score]) => {
        const [project, criterion] = k.split("\u0000");
        return { project, criterion, score };
      }));
      persist();
    }
  }

  function use(w) {
    const rules = w.rules;
    const dataset = { ...rules, projects: w.ideas.map((p) => ({ id: p.id, title: p.title || "", region: p.region || "", cooperative: p.cooperative || "" })), scores: [] };
    delete dataset.judges;
    // Sheets are kept by the server's stage, not by the digest of the
    // ideas assigned to this juror, which changes when the assignment is
    // run again (a juror dropped, a late idea).
    hooks.loadSource(JSON.stringify(dataset), `${w.stage.slug}.json`, `server-${stage}`, w.stage_digest);
    hooks.openJudge(judge);
  }

  function schedule(ms = 800) {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(syncNow, ms);
  }

  async function syncNow() {
    if (stopped || !work) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const collected = hooks.collect();
      if (collected.problems && collected.problems.length && !(collected.problems[0]?.key === "judge.exportNothing")) {
        say("fix");
        return;
      }
      const scores = collected.scores || [];
      const mine = toMap(scores);
      const base = new Map(state.synced);
      const same = mine.size === base.size && [...mine].every(([k, v]) => base.get(k) === v);
      if (same && (!signOff || state.signedOff)) {
        say(state.signedOff ? "signed" : "synced", { v: state.base });
        return;
      }
      say("sending");
      const body = {
        judge, dataset: work.stage_digest, seq: state.base + 1,
        time: new Date().toISOString().replace(/\.\d+Z$/, "Z"), signed_off: signOff, scores,
      };
      if (!csrf) await session();
      const r = await fetch(api, {
        method: "PUT", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "If-Match": `"${state.base}"` },
        body: JSON.stringify(body),
      });
      const answer = await r.json().catch(() => ({}));
      delay = 2000;
      if (r.ok) {
        state = { base: answer.sheet.version, synced: [...toMap(answer.sheet.scores)], signedOff: answer.sheet.signed_off };
        persist();
        say(state.signedOff ? "signed" : "synced", { v: state.base });
        return;
      }
      if (r.status === 412 && answer.current) {
        // Built on an older version: merge and send again.
        const theirs = toMap(answer.current.scores);
        const merged = merge3(base, mine, theirs);
        state = { base: answer.current.version, synced: [...theirs], signedOff: answer.current.signed_off };
        persist();
        hooks.setScores([...merged].map(([k, score]) => {
          const [project, criterion] = k.split("\u0000");
          return { project, criterion, score };
        }));
        again = true;
        return;
      }
      if (r.status === 409 && answer.stage_digest) {
        await loadWork(); // ideas or jurors changed: take the stage as it is now
        again = true;
        return;
      }
      if (r.status === 401 || (r.status === 403 && /CSRF/.test(answer.error || ""))) {
        csrf = "";
        if (r.status === 401) {
          stopped = true;
          say("session");
          return;
        }
        again = true;
        return;
      }
      say("refused", { m: [answer.error, ...(answer.problems || []).map((p) => `${p.path}: ${p.message}`)].filter(Boolean).join("; ") });
    } catch (err) {
      if (err?.status === 401) {
        stopped = true;
        say("session");
        return;
      }
      // No network: keep the sheet here and try again later.
      say("pending");
      delay = Math.min(delay * 2, 30000);
      schedule(delay);
    } finally {
      busy = false;
      if (again) {
        again = false;
        schedule(50);
      }
    }
  }

  ui.onSignOff(() => {
    signOff = true;
    syncNow();
  });
  hooks.onSave(() => schedule());
  window.addEventListener("online", () => schedule(50));
  say("loading");
  try {
    await session();
    await loadWork();
  } catch (err) {
    if (err?.status === 401) {
      say("session");
      if (!work) return;
    } else if (work) {
      use(work); // offline: the stage as last loaded
    } else {
      say("pending");
      setTimeout(() => connectServer(hooks, params), 5000);
      return;
    }
  }
  schedule(50);
}

/** The sync's own line and button, under the sheet's status. */
function statusLine(hooks) {
  const anchor = document.getElementById("sheet-status");
  const line = document.createElement("p");
  line.id = "server-sync";
  line.setAttribute("role", "status");
  line.className = "muted";
  const button = document.createElement("button");
  button.type = "button";
  button.id = "server-sign-off";
  button.className = "primary";
  anchor?.after(line, button);
  const text = (name, vars) => {
    const m = MESSAGES[name];
    let s = m[hooks.lang()] || m.en;
    for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
    return s;
  };
  button.textContent = text("signOff", {});
  return {
    say(name, vars = {}) {
      line.dataset.state = name;
      line.dataset.version = String(vars.v ?? "");
      line.textContent = text(name, vars);
      button.textContent = text("signOff", {});
    },
    onSignOff(fn) {
      button.addEventListener("click", fn);
    },
  };
}
