/*
 * Catalog filters without a full reload: choosing an option fetches the same GET URL the form would
 * submit, swaps in the new filter panel and results and keeps the address bar in sync. Without
 * JavaScript the form's submit button does the same with a page load.
 *
 * The result count (「N件のプロジェクト」) is a live region that stays in the page; only its text
 * changes, so screen readers announce the new count. Focus stays on the option just chosen; after a
 * page or chip link, or the 「n件を表示」 button, it moves to the results' heading.
 *
 * The filters are a disclosure (「絞り込み（n）」): folded while they would sit above the results, open
 * from 56em, where they are a column beside them. On a phone the 「n件を表示」 button folds it again
 * and shows the results. The address carries no empty parameter, nor the default order.
 */
(function () {
    "use strict";

    var container = document.querySelector("[data-catalog]");
    if (!container || !window.fetch || !window.history.pushState || !window.DOMParser) {
        return;
    }
    var count = container.querySelector("[data-catalog-count]");
    var disclosure = container.querySelector("[data-catalog-filters]");
    var wide = window.matchMedia ? window.matchMedia("(min-width: 56em)") : null;
    var latest = 0;

    function followWidth() {
        if (disclosure && wide) {
            disclosure.open = wide.matches;
        }
    }
    followWidth();
    if (wide && wide.addEventListener) {
        wide.addEventListener("change", followWidth);
    }

    // The form's GET address, without empty values (an empty keyword) or the default order.
    function formUrl(form) {
        var params = new URLSearchParams();
        new FormData(form).forEach(function (value, name) {
            var field = form.elements.namedItem(name);
            var fallback = field && field.getAttribute ? field.getAttribute("data-catalog-default") : null;
            if (typeof value === "string" && value.trim() !== "" && value !== fallback) {
                params.append(name, value);
            }
        });
        var action = new URL(form.action, window.location.href);
        var query = params.toString();
        return action.origin + action.pathname + (query ? "?" + query : "");
    }

    // A selector for the focused control that finds the same control in the new markup.
    function focusSelector() {
        var element = document.activeElement;
        if (!element || element === document.body || !container.contains(element)) {
            return null;
        }
        if (element.id) {
            return "#" + CSS.escape(element.id);
        }
        if (element.name) {
            return '[name="' + CSS.escape(element.name) + '"][value="' + CSS.escape(element.value) + '"]';
        }
        return null;
    }

    function openGroups() {
        var open = [];
        container.querySelectorAll("[data-catalog-part] details").forEach(function (details, index) {
            if (details.open) {
                open.push(index);
            }
        });
        return open;
    }

    function swap(doc, focusAfter, groupsOpen) {
        var parts = container.querySelectorAll("[data-catalog-part]");
        var replacements = [];
        parts.forEach(function (part) {
            var next = doc.querySelector('[data-catalog-part="' + part.getAttribute("data-catalog-part") + '"]');
            if (!next) {
                throw new Error("no catalog part");
            }
            replacements.push([part, next.innerHTML]);
        });
        replacements.forEach(function (pair) {
            pair[0].innerHTML = pair[1];
        });
        var details = container.querySelectorAll("[data-catalog-part] details");
        groupsOpen.forEach(function (index) {
            if (details[index]) {
                details[index].open = true;
            }
        });
        var nextCount = doc.querySelector("[data-catalog-count]");
        if (count && nextCount) {
            count.textContent = nextCount.textContent;
        }
        var filterCount = container.querySelector("[data-catalog-filter-count]");
        var nextFilterCount = doc.querySelector("[data-catalog-filter-count]");
        if (filterCount && nextFilterCount) {
            filterCount.innerHTML = nextFilterCount.innerHTML;
        }
        if (focusAfter === false) {
            return;
        }
        var target = focusAfter && container.querySelector(focusAfter);
        if (!target) {
            target = container.querySelector("[data-catalog-heading]");
            target.setAttribute("tabindex", "-1");
        }
        target.focus();
    }

    // focus: "control" keeps it on the control in use, "heading" moves it to the results, "none" leaves it.
    function load(url, push, focus) {
        var ticket = ++latest;
        var focusAfter = focus === "none" ? false : focus === "control" ? focusSelector() : null;
        var groupsOpen = openGroups();
        var results = container.querySelector('[data-catalog-part="results"]');
        results.setAttribute("aria-busy", "true");
        return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(response.status);
                }
                return response.text();
            })
            .then(function (html) {
                if (ticket !== latest) {
                    return; // a later choice is on its way
                }
                results.removeAttribute("aria-busy");
                swap(new DOMParser().parseFromString(html, "text/html"), focusAfter, groupsOpen);
                if (push) {
                    window.history.pushState({ catalog: true }, "", url);
                }
            })
            .catch(function () {
                window.location.href = url;
            });
    }

    container.addEventListener("change", function (event) {
        var form = event.target.form;
        if (form && form.hasAttribute("data-catalog-form") && event.target.type !== "search") {
            load(formUrl(form), true, "control");
        }
    });

    // 「n件を表示」 (or Enter in the keyword): the results, with the folded filters out of the way.
    container.addEventListener("submit", function (event) {
        if (event.target.hasAttribute("data-catalog-form")) {
            event.preventDefault();
            if (disclosure && !(wide && wide.matches)) {
                disclosure.open = false;
            }
            load(formUrl(event.target), true, "heading");
        }
    });

    container.addEventListener("click", function (event) {
        var link = event.target.closest("a");
        if (link && link.closest(".filter-chips, .pagination") && link.origin === window.location.origin) {
            event.preventDefault();
            load(link.href, true, "heading");
        }
    });

    window.addEventListener("popstate", function () {
        load(window.location.href, false, "none");
    });
})();
