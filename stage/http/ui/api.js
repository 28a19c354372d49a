// api.js: the pages' one way to call the server. Every change carries the
// session's CSRF token; errors become exceptions with the server's
// message and problems.
let csrf = "";

/** session returns the signed-in user and keeps the CSRF token, or null. */
export async function session() {
  const r = await fetch("/api/session", { credentials: "same-origin" });
  if (!r.ok) return null;
  const s = await r.json();
  csrf = s.csrf;
  return s.user;
}

/** call sends a JSON request and returns the parsed answer (null for 204). */
export async function call(method, path, body, headers = {}) {
  const init = { method, credentials: "same-origin", headers: { ...headers } };
  if (method !== "GET" && method !== "HEAD") init.headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) {
    if (typeof body === "string") {
      init.body = body;
    } else {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
  }
  const r = await fetch(path, init);
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    const e = new Error((data && data.error) || r.statusText);
    e.status = r.status;
    e.data = data;
    if (data && data.problems) e.message += "\n" + data.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    throw e;
  }
  if (data && data.csrf) csrf = data.csrf;
  return data;
}

/** el builds an element with text children only: never HTML. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
