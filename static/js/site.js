/*
 * Progressive enhancement only: the site works fully without this file. (head.js, loaded first in the
 * head, swaps the no-js class on <html> for js.)
 * - On narrow screens the main menu folds behind a "メニュー" button.
 * - 「表示の設定」 is a disclosure on a phone and always shown from 48rem, where the stylesheet shows it
 *   even while closed; here it is opened there too, so that assistive technology hears the same.
 */
(function () {
    "use strict";

    var settings = document.querySelector("[data-display-settings]");
    if (settings && window.matchMedia) {
        var wide = window.matchMedia("(min-width: 48rem)");
        var follow = function () {
            settings.open = wide.matches;
        };
        follow();
        if (wide.addEventListener) {
            wide.addEventListener("change", follow);
        }
    }

    var toggle = document.querySelector(".main-nav__toggle");
    var list = document.getElementById("main-nav-list");
    if (!toggle || !list) {
        return;
    }

    toggle.hidden = false;
    toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        list.classList.toggle("is-open", open);
    });

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && list.classList.contains("is-open")) {
            toggle.setAttribute("aria-expanded", "false");
            list.classList.remove("is-open");
            toggle.focus();
        }
    });
})();
