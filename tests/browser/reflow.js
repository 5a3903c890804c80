// Text that sticks out of the window sideways, unless it sits in a box that scrolls sideways on purpose (a
// wide table): WCAG 1.4.10 asks for no lost content as well as no sideways scrolling. Returns one line per
// element. Run by tests/browser/test_display.py through page.evaluate, so it must be one expression.
(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (element) => {
        for (let node = element.parentElement; node; node = node.parentElement) {
            if (["auto", "scroll"].includes(getComputedStyle(node).overflowX)) return true;
        }
        return false;
    };
    const out = [];
    for (const element of document.body.querySelectorAll("*")) {
        const text = Array.from(element.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!text || !element.checkVisibility({ checkVisibilityCSS: true })) continue;
        const rect = element.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1) continue;
        if (getComputedStyle(element).clip === "rect(0px, 0px, 0px, 0px)") continue;
        if ((rect.right > width + 1 || rect.left < -1) && !scrolls(element)) {
            out.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(rect.left)}..${Math.round(rect.right)}`);
        }
    }
    return out;
})()
