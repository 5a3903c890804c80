/*
 * Loaded in <head> without defer, before the stylesheet: swaps the no-js class on <html> for js before the
 * first paint, so what folds only with JavaScript (the main menu on a phone) never shows unfolded first.
 * An external file rather than an inline script, so a Content-Security-Policy of script-src 'self' needs
 * no hash or nonce. The display preferences (文字サイズ・背景色・ふりがな) need no script: the server
 * renders them from their cookies (home/display.py).
 */
(function () {
    "use strict";

    var root = document.documentElement;
    root.classList.remove("no-js");
    root.classList.add("js");
})();
