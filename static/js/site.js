/*
 * Progressive enhancement only: the site works fully without this file.
 * On narrow screens the main menu folds behind a "メニュー" button. (text-size.js, loaded first in the
 * head, swaps the no-js class on <html> for js.)
 */
(function () {
    "use strict";

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
