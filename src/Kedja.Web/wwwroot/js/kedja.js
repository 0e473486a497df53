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

    // ASVS 2.1.8: a strength meter under a new password (fields marked data-strength by the server). Advice only: the
    // server's rule (at least 12 characters, ADR 11) decides. The estimate stays in the browser, so the password is not
    // sent anywhere before the form is: bits from length and the kinds of characters used, less for repeats, runs
    // (abcd, 1234) and common words, the estimate that zxcvbn-like meters start from, kept small and readable.
    var common = ["lösenord", "losenord", "password", "qwerty", "kedja", "kommun", "sommar", "vinter", "hösten", "varen", "123456", "abc123", "admin", "välkommen"];
    function strength(value) {
        if (!value) {
            return 0;
        }
        var pool = 0;
        if (/[a-z]/.test(value)) { pool += 26; }
        if (/[A-Z]/.test(value)) { pool += 26; }
        if (/[0-9]/.test(value)) { pool += 10; }
        if (/[^A-Za-z0-9]/.test(value)) { pool += 33; }
        var perChar = Math.log(pool) / Math.LN2;
        var counted = value.length;
        var lower = value.toLowerCase();
        common.forEach(function (word) {
            if (lower.indexOf(word) >= 0) { counted -= word.length - 1; }
        });
        for (var i = 2; i < value.length; i++) {
            var a = value.charCodeAt(i - 2), b = value.charCodeAt(i - 1), c = value.charCodeAt(i);
            if ((b - a === 1 && c - b === 1) || (a - b === 1 && b - c === 1) || (a === b && b === c)) { counted -= 1; }
        }
        var distinct = {};
        for (var j = 0; j < value.length; j++) { distinct[value[j]] = true; }
        counted = Math.min(counted, Object.keys(distinct).length * 3);
        var bits = Math.max(0, counted) * perChar;
        var score = bits < 30 ? 0 : bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
        return value.length < 12 ? Math.min(score, 1) : score;
    }
    document.querySelectorAll("input[data-strength]").forEach(function (input) {
        var levels = input.getAttribute("data-strength").split("|");
        var box = document.createElement("div");
        box.className = "strength";
        var meter = document.createElement("meter");
        meter.min = 0; meter.max = 4; meter.low = 2; meter.high = 3; meter.optimum = 4; meter.value = 0;
        meter.setAttribute("aria-label", input.getAttribute("data-strength-label") || "");
        var text = document.createElement("span");
        text.setAttribute("aria-live", "polite");
        box.appendChild(meter);
        box.appendChild(text);
        input.insertAdjacentElement("afterend", box);
        input.addEventListener("input", function () {
            var score = strength(input.value);
            meter.value = score;
            text.textContent = input.value ? levels[score] : "";
        });
    });
})();
