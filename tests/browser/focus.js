// The focus indicator of the focused element: its outline (or, for a card's title link, the card's
// :focus-within outline) against the background around it. Returns null when nothing in the page has the
// focus, else {element, ratio, width} (ratio 0: no indicator at all). Run by tests/browser/test_display.py
// through page.evaluate, so it must be one expression.
(() => {
    const parse = (value) => {
        const match = value.match(/rgba?\(([^)]+)\)/);
        if (!match) return null;
        const parts = match[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
        return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
    };
    const blend = (top, bottom) => ({
        r: top.r * top.a + bottom.r * (1 - top.a),
        g: top.g * top.a + bottom.g * (1 - top.a),
        b: top.b * top.a + bottom.b * (1 - top.a),
        a: 1,
    });
    const luminance = (c) => {
        const channel = (v) => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    };
    const ratio = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    };
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
