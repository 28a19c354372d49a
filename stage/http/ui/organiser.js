// The organiser's page: stages, ideas, jurors, codes (with a QR code of
// the juror's link), assignment, live progress and ranking, publication.
import { call, el, session } from "/ui/api.js";

const $ = (s) => document.querySelector(s);
const error = $("#error");
let current = null; // the stage shown
let liveDigest = "";

function fail(e) {
  error.textContent = e.message || String(e);
}

async function guard(fn) {
  error.textContent = "";
  try {
    await fn();
  } catch (e) {
    fail(e);
  }
}

function table(t, head, rows) {
  t.replaceChildren(el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c))))));
}

async function loadStages() {
  const stages = await call("GET", "/api/stages");
  $("#stages").replaceChildren(...stages.map((s) => {
    const a = el("a", { href: "#stage-" + s.id, "data-stage": String(s.id) }, `${s.title} (${s.slug})`);
    a.addEventListener("click", () => guard(() => openStage(s.id)));
    return el("li", {}, a);
  }));
}

async function openStage(id) {
  current = await call("GET", `/api/stages/${id}`);
  $("#stage").classList.remove("hidden");
  $("#stage-title-shown").textContent = current.title;
  $("#stage-seed-shown").textContent = current.seed;
  await refresh();
}

async function refresh() {
  if (!current) return;
  const id = current.id;
  const [ideas, jurors, codes, progress, results] = await Promise.all([
    call("GET", `/api/stages/${id}/ideas`), call("GET", `/api/stages/${id}/jurors`),
    call("GET", `/api/stages/${id}/codes`), call("GET", `/api/stages/${id}/progress`),
    call("GET", `/api/stages/${id}/results`),
  ]);
  table($("#ideas"), ["id", "title", "region", "carrier"], ideas.map((p) => [p.id, p.title || "", p.region || "",
    p.carrier ? [p.carrier.name, p.carrier.email, p.carrier.phone].filter(Boolean).join(", ") : ""]));
  table($("#jurors"), ["id", "name", "cooperative", "conflicts", ""], jurors.map((j) => {
    const issue = el("button", { type: "button", "data-issue": j.id }, "issue a code");
    issue.addEventListener("click", () => guard(() => issueCode(j.id)));
    return [j.id + (j.dropped ? " (dropped)" : ""), j.name || "", j.cooperative || "", (j.conflicts || []).join(" "), issue];
  }));
  table($("#codes"), ["id", "juror", "expires", "state", ""], codes.map((c) => {
    const revoke = el("button", { type: "button" }, "revoke");
    revoke.addEventListener("click", () => guard(async () => { await call("POST", `/api/stages/${id}/codes/${c.id}/revoke`); await refresh(); }));
    const state = c.revoked_at ? "revoked" : c.used_at ? "used" : "open";
    return [c.id, c.judge, c.expires_at, state, state === "open" ? revoke : ""];
  }));
  table($("#progress"), ["juror", "ideas", "given / expected", "signed off", "version"], progress.jurors.map((j) =>
    [j.judge, j.ideas, `${j.given} / ${j.expected}`, j.signed_off ? "✓" : "", j.version]));
  $("#progress").dataset.signedOff = String(progress.jurors.filter((j) => j.signed_off).length);
  $("#progress").dataset.given = String(progress.jurors.reduce((n, j) => n + j.given, 0));
  try {
    const live = await call("GET", `/api/stages/${id}/ranking`);
    liveDigest = live.input_digest;
    $("#live-digest").textContent = liveDigest;
    table($("#live"), ["rank", "id", "group", "total", "selected", "decided by"], live.projects.map((p) =>
      [p.rank ?? "", p.id, p.group ?? "", p.total ?? "", p.selected ? "✓" : "", p.decided_by ?? (p.reasons || []).join(" ")]));
  } catch (e) {
    liveDigest = "";
    $("#live-digest").textContent = e.message;
  }
  $("#results").replaceChildren(...results.map((r) => el("li", { "data-digest": r.input_digest }, `v${r.version} ${r.input_digest} by ${r.by}${r.reason ? ": " + r.reason : ""}`)));
  if (results.length) {
    const a = $("#public-link");
    a.href = `/s/${current.slug}`;
    a.classList.remove("hidden");
  }
}

async function issueCode(judge) {
  const c = await call("POST", `/api/stages/${current.id}/codes`, { judge });
  const box = $("#code-shown");
  box.replaceChildren(el("p", {}, "Juror ", el("strong", {}, judge), ": code ", el("code", { id: "code-text" }, c.code), " · ",
    el("a", { id: "code-link", href: c.link }, "link")), el("p", { class: "muted" }, "Shown once. Expires " + c.expires_at));
  try {
    const qr = await import("/widget/qr.js");
    box.append(qr.renderQR(c.link));
  } catch {
    // No calculator files on this server: the code and the link suffice.
  }
  await refresh();
}

$("#create-stage").addEventListener("submit", (ev) => {
  ev.preventDefault();
  guard(async () => {
    const st = await call("POST", "/api/stages", {
      slug: $("#stage-slug").value, title: $("#stage-title").value, region: $("#stage-region").value,
      date: $("#stage-date").value, jurors_per_idea: +$("#stage-k").value, cap_per_juror: +$("#stage-cap").value,
      seed: $("#stage-seed").value, rules: JSON.parse($("#stage-rules").value),
    });
    await loadStages();
    await openStage(st.id);
  });
});

$("#ideas-import").addEventListener("click", () => guard(async () => {
  await call("POST", `/api/stages/${current.id}/ideas.csv`, $("#ideas-csv").value, { "Content-Type": "text/csv", "X-Reason": $("#publish-reason").value });
  $("#ideas-csv").value = "";
  await refresh();
}));

$("#juror-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  guard(async () => {
    const conflicts = $("#juror-conflicts").value.split(/[\s,]+/).filter(Boolean);
    await call("PUT", `/api/stages/${current.id}/jurors/${encodeURIComponent($("#juror-id").value)}`, {
      name: $("#juror-name").value, cooperative: $("#juror-coop").value, conflicts, abstains: [], reason: $("#publish-reason").value,
    });
    $("#juror-form").reset();
    await refresh();
  });
});

$("#assign").addEventListener("click", () => guard(async () => {
  const plan = await call("POST", `/api/stages/${current.id}/assignment`);
  $("#assign-out").textContent = `${plan.add.length} added, ${plan.keep.length} kept, ${plan.drop.length} dropped; ` +
    (plan.short.length ? `short: ${plan.short.map((s) => `${s.project} ${s.have}/${s.want}`).join(", ")}` : "every idea has its jurors");
  await refresh();
}));

$("#publish").addEventListener("click", () => guard(async () => {
  await call("POST", `/api/stages/${current.id}/publish`, { input_digest: liveDigest, reason: $("#publish-reason").value });
  await refresh();
}));

$("#logout").addEventListener("click", () => guard(async () => {
  await call("POST", "/api/logout");
  location.href = "/login";
}));

guard(async () => {
  const u = await session();
  if (!u || u.role === "juror") {
    location.href = "/login";
    return;
  }
  $("#whoami").textContent = `${u.login} (${u.role}${u.stage ? ", stage " + u.stage : ""})`;
  $("#stage-rules").value = JSON.stringify({
    rubric: { criteria: [
      { id: "social", weight: "0.25" }, { id: "economic", weight: "0.25" }, { id: "innovation", weight: "0.2" },
      { id: "territorial", weight: "0.15" }, { id: "youth", weight: "0.15" }],
    scale: { min: "0", max: "20", step: "0.5" }, min_judges: 1 },
    ranking: { tie_break: ["criterion:social", "head_to_head", "submitted_at", "id"], group_by: "region", top: 3 },
  }, null, 1);
  await loadStages();
  setInterval(() => { if (current) refresh().catch(fail); }, 5000);
});
