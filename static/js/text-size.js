/*
 * Text size (文字サイズ 大・標準・小), loaded in <head> without defer so the stored choice applies
 * before the first paint. An external file rather than an inline script, so a Content-Security-Policy
 * of script-src 'self' needs no hash or nonce. The choice lives in localStorage only (no cookie).
 * Without JavaScript the page keeps the default size and the buttons stay hidden (.no-js in site.css).
 */
(function () {
    "use strict";

    var KEY = "textSize";
    var SIZES = ["large", "normal", "small"];
    var root = document.documentElement;

    root.classList.remove("no-js");
    root.classList.add("js");

    function stored() {
        try {
            var value = window.localStorage.getItem(KEY);
            return SIZES.indexOf(value) === -1 ? "normal" : value;
        } catch (error) {
            return "normal";
        }
    }

    function apply(size) {
        root.dataset.textSize = size;
        var buttons = document.querySelectorAll("[data-text-size-button]");
        for (var i = 0; i < buttons.length; i++) {
            var pressed = buttons[i].getAttribute("data-text-size-button") === size;
            buttons[i].setAttribute("aria-pressed", pressed ? "true" : "false");
        }
    }

    function choose(size) {
        try {
            window.localStorage.setItem(KEY, size);
        } catch (error) {
            // Private browsing or storage turned off: the size still applies to this page.
        }
        apply(size);
    }

    apply(stored());

    document.addEventListener("DOMContentLoaded", function () {
        apply(root.dataset.textSize || "normal");
        document.addEventListener("click", function (event) {
            var button = event.target.closest("[data-text-size-button]");
            if (button && SIZES.indexOf(button.getAttribute("data-text-size-button")) !== -1) {
                choose(button.getAttribute("data-text-size-button"));
            }
        });
    });

    // Another tab changed the size, or the page came back from the back-forward cache: follow the choice.
    window.addEventListener("storage", function (event) {
        if (event.key === KEY) {
            apply(stored());
        }
    });
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            apply(stored());
        }
    });
})();
