import { call } from "/ui/api.js";

document.querySelector("#login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const error = document.querySelector("#login-error");
  error.textContent = "";
  try {
    await call("POST", "/api/login", {
      login: document.querySelector("#login-name").value,
      password: document.querySelector("#login-password").value,
    });
    location.href = "/organiser";
  } catch (e) {
    error.textContent = e.message;
  }
});
