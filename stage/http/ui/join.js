// The juror's link carries the code in the fragment (#code=…), which the
// browser never sends to a server; it is put in the form, and removed
// from the address bar so that it does not stay in the history.
import { call } from "/ui/api.js";

const input = document.querySelector("#join-code");
const m = /(?:^#|&)code=([^&]+)/.exec(location.hash);
if (m) {
  input.value = decodeURIComponent(m[1]);
  history.replaceState(null, "", location.pathname);
}

document.querySelector("#join").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const error = document.querySelector("#join-error");
  error.textContent = "";
  try {
    const s = await call("POST", "/api/join", { code: input.value });
    const u = s.user;
    location.href = `/widget/?server-stage=${u.stage}&judge=${encodeURIComponent(u.judge)}`;
  } catch (e) {
    error.textContent = e.message;
  }
});
