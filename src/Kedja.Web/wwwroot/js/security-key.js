// Security keys and passkeys (WebAuthn, ADR 56): the one thing the pages cannot do without script is ask the browser
// for navigator.credentials. The form carries the server's options (data-options); this file turns their base64url
// fields into bytes, asks the browser, and posts the answer back as JSON in the hidden field "svar". Nothing else.
"use strict";
(function () {
    function toBytes(text) {
        var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
        while (base64.length % 4 !== 0) {
            base64 += "=";
        }
        var binary = atob(base64);
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) {
            bytes[i] = binary.charCodeAt(i);
        }
        return bytes;
    }

    function toText(buffer) {
        var bytes = new Uint8Array(buffer);
        var binary = "";
        for (var i = 0; i < bytes.length; i++) {
            binary += String.fromCharCode(bytes[i]);
        }
        return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    function descriptors(list) {
        return (list || []).map(function (d) {
            return { type: d.type, id: toBytes(d.id), transports: d.transports };
        });
    }

    function registration(options) {
        options.challenge = toBytes(options.challenge);
        options.user.id = toBytes(options.user.id);
        options.excludeCredentials = descriptors(options.excludeCredentials);
        return navigator.credentials.create({ publicKey: options }).then(function (c) {
            return {
                id: c.id,
                rawId: toText(c.rawId),
                type: c.type,
                clientExtensionResults: c.getClientExtensionResults(),
                response: {
                    attestationObject: toText(c.response.attestationObject),
                    clientDataJSON: toText(c.response.clientDataJSON),
                    transports: c.response.getTransports ? c.response.getTransports() : []
                }
            };
        });
    }

    function assertion(options) {
        options.challenge = toBytes(options.challenge);
        options.allowCredentials = descriptors(options.allowCredentials);
        return navigator.credentials.get({ publicKey: options }).then(function (c) {
            return {
                id: c.id,
                rawId: toText(c.rawId),
                type: c.type,
                clientExtensionResults: c.getClientExtensionResults(),
                response: {
                    authenticatorData: toText(c.response.authenticatorData),
                    clientDataJSON: toText(c.response.clientDataJSON),
                    signature: toText(c.response.signature),
                    userHandle: c.response.userHandle ? toText(c.response.userHandle) : null
                }
            };
        });
    }

    var form = document.querySelector("form[data-webauthn]");
    if (!form) {
        return;
    }

    var problem = document.getElementById("nyckel-fel");
    if (!window.PublicKeyCredential && problem) {
        problem.hidden = false;
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        var options = JSON.parse(form.getAttribute("data-options"));
        var asked = form.getAttribute("data-webauthn") === "create" ? registration(options) : assertion(options);
        asked.then(function (answer) {
            form.querySelector("input[name=svar]").value = JSON.stringify(answer);
            form.submit();
        }, function () {
            if (problem) {
                problem.hidden = false;
                problem.focus();
            }
        });
    });
}());
