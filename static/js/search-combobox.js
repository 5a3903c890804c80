/*
 * Suggestions under the search boxes as a visitor types: page titles and the catalog's facet terms, from
 * /search/suggest/ (search/autocomplete.py). Progressive enhancement only: without this file each box is
 * a plain form that submits to /search/, and every ARIA attribute below is added here, not in the markup.
 *
 * The box becomes a combobox with a listbox popup (WAI-ARIA APG, "list autocomplete"): focus stays in
 * the box and aria-activedescendant names the highlighted option. Down and Up move, Enter on a
 * highlighted option opens it, Enter with none highlighted searches as usual, Escape closes the list (a
 * second Escape empties the box), Tab leaves. A polite live region says how many suggestions there are.
 */
(function () {
    "use strict";

    if (!window.fetch || !window.AbortController) {
        return;
    }

    var DEBOUNCE_MS = 150;

    function enhance(form) {
        var input = form.querySelector('input[name="q"]');
        var endpoint = form.getAttribute("data-search-suggest");
        if (!input || !input.id || !endpoint) {
            return;
        }

        var listId = input.id + "-suggestions";
        var list = document.createElement("ul");
        list.id = listId;
        list.className = "search-suggest";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "検索候補");
        list.hidden = true;

        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");

        // Under the row of the box and its button, as wide as both.
        var row = input.parentNode;
        row.classList.add("has-suggestions");
        row.appendChild(list);
        form.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);
        input.setAttribute("autocomplete", "off");

        var options = [];
        var active = -1;
        var shownFor = null; // the text whose suggestions are in the list
        var timer = null;
        var controller = null;

        function isOpen() {
            return !list.hidden;
        }

        function setActive(index) {
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "false");
            }
            active = index;
            if (active >= 0 && options[active]) {
                var option = options[active];
                option.setAttribute("aria-selected", "true");
                input.setAttribute("aria-activedescendant", option.id);
                if (option.scrollIntoView) {
                    option.scrollIntoView({ block: "nearest" });
                }
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function open() {
            if (options.length) {
                list.hidden = false;
                input.setAttribute("aria-expanded", "true");
            }
        }

        function close() {
            setActive(-1);
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
        }

        function announce(text) {
            status.textContent = text;
        }

        function render(query, suggestions) {
            if (document.activeElement !== input) {
                return; // the visitor has left the box: a late answer must not open the list again
            }
            setActive(-1);
            list.textContent = "";
            options = suggestions.map(function (suggestion, index) {
                var option = document.createElement("li");
                option.id = listId + "-" + index;
                option.className = "search-suggest__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-url", suggestion.url);
                var label = document.createElement("span");
                label.className = "search-suggest__label";
                label.textContent = suggestion.label;
                var kind = document.createElement("span");
                kind.className = "search-suggest__kind";
                kind.textContent = suggestion.kind;
                option.appendChild(label);
                option.appendChild(kind);
                list.appendChild(option);
                return option;
            });
            shownFor = query;
            if (options.length) {
                open();
                announce("候補が" + options.length + "件あります。上下キーで選べます。");
            } else {
                close();
                announce("候補はありません。");
            }
        }

        // Stops the pending keystroke's timer and its request, so that neither opens the list later.
        function cancel() {
            window.clearTimeout(timer);
            timer = null;
            if (controller) {
                controller.abort();
                controller = null;
            }
        }

        function leave() {
            cancel();
            close();
        }

        function clear() {
            cancel();
            list.textContent = "";
            options = [];
            shownFor = null;
            close();
            announce("");
        }

        function load(query) {
            if (controller) {
                controller.abort();
            }
            controller = new AbortController();
            var mine = controller;
            fetch(endpoint + "?q=" + encodeURIComponent(query), {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
                signal: mine.signal,
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(response.status);
                    }
                    return response.json();
                })
                .then(function (data) {
                    // A later keystroke has its own request; only the box's current text is shown.
                    if (mine !== controller || input.value.trim() !== query) {
                        return;
                    }
                    controller = null;
                    render(query, data.suggestions || []);
                })
                .catch(function () {
                    // Aborted, offline or refused: the box stays a plain search box.
                    if (mine === controller) {
                        controller = null;
                    }
                });
        }

        function schedule() {
            var query = input.value.trim();
            window.clearTimeout(timer);
            if (!query) {
                clear();
                return;
            }
            if (query === shownFor) {
                open();
                return;
            }
            timer = window.setTimeout(function () {
                load(query);
            }, DEBOUNCE_MS);
        }

        function go(option) {
            var url = option.getAttribute("data-url");
            close();
            window.location.assign(url);
        }

        input.addEventListener("input", schedule);

        input.addEventListener("keydown", function (event) {
            if (event.isComposing || event.keyCode === 229) {
                return; // the IME is converting: its keys are not ours
            }
            switch (event.key) {
                case "ArrowDown":
                case "ArrowUp":
                    if (!options.length || input.value.trim() !== shownFor) {
                        if (input.value.trim()) {
                            event.preventDefault();
                            window.clearTimeout(timer);
                            load(input.value.trim());
                        }
                        return;
                    }
                    event.preventDefault();
                    if (!isOpen()) {
                        open();
                    }
                    var last = options.length - 1;
                    if (event.key === "ArrowDown") {
                        setActive(active >= last ? 0 : active + 1);
                    } else {
                        setActive(active <= 0 ? last : active - 1);
                    }
                    break;
                case "Enter":
                    if (isOpen() && active >= 0) {
                        event.preventDefault();
                        go(options[active]);
                    }
                    break;
                case "Escape":
                    event.preventDefault();
                    if (isOpen()) {
                        close();
                    } else if (input.value) {
                        input.value = "";
                        clear();
                    }
                    break;
                case "Tab":
                    leave();
                    break;
                default:
                    break;
            }
        });

        // Pressing an option must not take focus from the box, or the list would close before the click.
        list.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });

        list.addEventListener("click", function (event) {
            var option = event.target.closest('[role="option"]');
            if (option) {
                go(option);
            }
        });

        input.addEventListener("blur", leave);

        // Back from a suggestion's page (the back-forward cache keeps this page as it was left).
        window.addEventListener("pageshow", close);
    }

    document.querySelectorAll("form[data-search-suggest]").forEach(enhance);
})();
