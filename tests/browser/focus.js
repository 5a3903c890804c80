// The focus indicator of the focused element: its outline (or, for a card's title link, the card's
// :focus-within outline) against the background around it. Returns null when nothing in the page has the
// focus, else {element, ratio, width} (ratio 0: no indicator at all). Run by tests/browser/test_display.py
// through page.evaluate, so it must be one expression; the colour helpers come from colour.js.
(() => {
    const backgroundOf = (element) => {
        const layers = [];
        for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour && colour.a > 0) {
                layers.push(colour);
                if (colour.a >= 1) break;
            }
        }
        let result = { r: 255, g: 255, b: 255, a: 1 };
        if (layers.length && layers[layers.length - 1].a >= 1) result = layers.pop();
        while (layers.length) result = blend(layers.pop(), result);
        return result;
    };
    const focused = document.activeElement;
    if (!focused || focused === document.body) return null;
    const name = `${focused.tagName.toLowerCase()} "${(focused.textContent || focused.value || focused.id || "").trim().slice(0, 30)}"`;
    for (let node = focused, depth = 0; node && node.nodeType === 1 && depth < 4; node = node.parentElement, depth++) {
        const style = getComputedStyle(node);
        const width = parseFloat(style.outlineWidth);
        if (style.outlineStyle !== "none" && width > 0) {
            const colour = parse(style.outlineColor);
            // An outline drawn outside the box sits on the parent's background; one drawn inside, on its own.
            const inside = parseFloat(style.outlineOffset) < 0;
            const around = backgroundOf(inside ? node : node.parentElement || node);
            return { element: name, ratio: ratio(blend(colour, around), around), width };
        }
    }
    return { element: name, ratio: 0, width: 0 };
})()
