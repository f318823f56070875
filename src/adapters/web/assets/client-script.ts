/**
 * The pages' only script, inlined and allowed by its hash in the Content-Security-Policy. Everything works
 * without it (each pending payment has a "Check again" link); with it:
 * - an element with `data-poll` asks its status URL (sending the session's CSRF token from the page's meta
 *   tag) every one to five seconds, shows the answer, and reloads the page once the payment is final, so that
 *   the balance, the stock and the sales list are fresh;
 * - a submitted form's button is disabled, so a double tap sends one payment prompt, not two;
 * - a secret shown once (an API key, an invitation link) gets a Copy button (`data-copy` names its input);
 * - the charge form shows the running total of its items (`data-running-total`) as quantities change, and a
 *   quantity above the stock on hand is refused by the browser (`max`), before the server refuses it too.
 */
export const CLIENT_SCRIPT = `
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button");
      if (button) {
        setTimeout(function () {
          button.disabled = true;
          if (button.getAttribute("data-busy")) button.textContent = button.getAttribute("data-busy");
        }, 0);
      }
    });
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () { button.textContent = "Copied"; });
    });
  });
  document.querySelectorAll("[data-running-total]").forEach(function (output) {
    var form = output.closest("form");
    if (!form) return;
    function sum() {
      var total = 0;
      form.querySelectorAll("input[data-price]").forEach(function (input) {
        var quantity = parseInt(input.value, 10);
        if (quantity > 0) total += quantity * Number(input.getAttribute("data-price"));
      });
      output.textContent = "KES " + total.toLocaleString("en-US");
    }
    form.addEventListener("input", sum);
    sum();
  });
  document.querySelectorAll("[data-poll]").forEach(function (panel) {
    var url = panel.getAttribute("data-poll");
    var text = panel.querySelector("[data-status-text]");
    var started = Date.now();
    var delay = 1000;
    function again() {
      if (Date.now() - started > 10 * 60 * 1000) return;
      delay = Math.min(delay * 1.25, 5000);
      setTimeout(check, delay);
    }
    function check() {
      fetch(url, { headers: { "X-CSRF-Token": token, Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 401) { location.reload(); throw new Error("signed out"); }
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (state) {
          panel.setAttribute("data-status", state.status);
          if (text) text.textContent = state.label;
          if (state.final) { location.reload(); } else { again(); }
        })
        .catch(again);
    }
    setTimeout(check, delay);
  });
})();
`;
