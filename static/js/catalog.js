/*
 * Catalog filters without a full reload: choosing an option fetches the same GET URL the form would
 * submit, swaps in the new catalog and keeps the address bar in sync. Without JavaScript the form's
 * submit button does the same with a page load.
 */
(function () {
    "use strict";

    var container = document.querySelector("[data-catalog]");
    if (!container || !window.fetch || !window.history.pushState) {
        return;
    }

    function formUrl(form) {
        var params = new URLSearchParams(new FormData(form));
        return form.action.split("?")[0] + (params.toString() ? "?" + params.toString() : "");
    }

    function load(url, push) {
        container.setAttribute("aria-busy", "true");
        return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(response.status);
                }
                return response.text();
            })
            .then(function (html) {
                var next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-catalog]");
                if (!next) {
                    throw new Error("no catalog");
                }
                container.innerHTML = next.innerHTML;
                if (push) {
                    window.history.pushState({ catalog: true }, "", url);
                }
            })
            .catch(function () {
                window.location.href = url;
            })
            .finally(function () {
                container.removeAttribute("aria-busy");
            });
    }

    container.addEventListener("change", function (event) {
        var form = event.target.form;
        if (form && form.hasAttribute("data-catalog-form") && event.target.type !== "search") {
            load(formUrl(form), true);
        }
    });

    container.addEventListener("submit", function (event) {
        if (event.target.hasAttribute("data-catalog-form")) {
            event.preventDefault();
            load(formUrl(event.target), true);
        }
    });

    container.addEventListener("click", function (event) {
        var link = event.target.closest("a");
        if (link && link.closest(".filter-chips, .pagination") && link.origin === window.location.origin) {
            event.preventDefault();
            load(link.href, true);
        }
    });

    window.addEventListener("popstate", function () {
        load(window.location.href, false);
    });
})();
