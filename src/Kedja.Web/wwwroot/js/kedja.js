// Kedja's own script (ADR 55). Progressive enhancement only: every page works without it, and it adds nothing that
// the server does not check again. Loaded as a file from the site itself (Content-Security-Policy default-src 'self':
// no inline script, no third-party code).
(function () {
    "use strict";

    // ASVS 2.1.12: a "Visa lösenord" button beside every password field, its label rendered by the server (language).
    var showLabel = document.body.getAttribute("data-show-password");
    if (showLabel) {
        document.querySelectorAll("input[type=password]").forEach(function (input) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "show-password";
            button.textContent = showLabel;
            button.setAttribute("aria-pressed", "false");
            if (input.id) {
                button.setAttribute("aria-controls", input.id);
            }
            button.addEventListener("click", function () {
                var reveal = input.type === "password";
                input.type = reveal ? "text" : "password";
                button.setAttribute("aria-pressed", reveal ? "true" : "false");
                input.focus();
            });
            // Hidden again before the form goes, so that no browser keeps the value as ordinary text.
            if (input.form) {
                input.form.addEventListener("submit", function () {
                    input.type = "password";
                    button.setAttribute("aria-pressed", "false");
                });
            }
            input.insertAdjacentElement("afterend", button);
        });
    }
})();
