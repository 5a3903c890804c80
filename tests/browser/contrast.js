// Measures WCAG contrast on the rendered page: every visible text against the background it is drawn on
// (the first ancestor with a background colour, blending translucent ones), and every control's boundary
// (its own fill or its border) against the background around it. Returns the pairs below AA.
// Run by tests/browser/test_display.py through page.evaluate, so it must be one expression; the colour helpers come from colour.js.
(() => {
    const css = (c) => `rgb(${Math.round(c.r)} ${Math.round(c.g)} ${Math.round(c.b)})`;
    // The background an element is painted on: its own and its ancestors' colours, top layer first.
    const backgroundOf = (element) => {
        const layers = [];
        for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.backgroundImage !== "none" && !style.backgroundImage.startsWith("linear-gradient")) {
                return null; // drawn on an image: not measurable here
            }
            const colour = parse(style.backgroundColor);
            if (colour && colour.a > 0) {
                layers.push(colour);
                if (colour.a >= 1) break;
            }
        }
        let result = { r: 255, g: 255, b: 255, a: 1 }; // the canvas behind everything
        if (layers.length && layers[layers.length - 1].a >= 1) result = layers.pop();
        while (layers.length) result = blend(layers.pop(), result);
        return result;
    };
    const hidden = (element) => {
        if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return true;
        const rect = element.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1) return true;
        for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") return true;
        }
        return false;
    };
    const describe = (element) => {
        let text = "";
        for (const child of element.childNodes) if (child.nodeType === 3) text += child.textContent;
        const classes = element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\s+/).join(".") : "";
        return `${element.tagName.toLowerCase()}${classes} "${text.trim().slice(0, 30)}"`;
    };
    const failures = [];
    let measured = 0;
    for (const element of document.body.querySelectorAll("*")) {
        if (["SCRIPT", "STYLE", "NOSCRIPT", "svg", "OPTION"].includes(element.tagName)) continue;
        const ownText = Array.from(element.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
        const isControl = element.matches(
            "button, select, textarea, summary, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
        );
        if (!ownText && !isControl) continue;
        if (hidden(element)) continue;
        const style = getComputedStyle(element);
        const background = backgroundOf(element);
        if (!background) continue;
        if (ownText || element.matches("input, select, textarea")) {
            const colour = parse(style.color);
            const size = parseFloat(style.fontSize);
            const bold = parseInt(style.fontWeight, 10) >= 700;
            const large = size >= 24 || (bold && size >= 18.66);
            const needed = large ? 3 : 4.5;
            const value = ratio(colour.a < 1 ? blend(colour, background) : colour, background);
            measured += 1;
            if (value < needed - 0.005) {
                failures.push(`text ${describe(element)}: ${style.color} on ${css(background)} = ${value.toFixed(2)} < ${needed}`);
            }
        }
        if (isControl) {
            const around = element.parentElement ? backgroundOf(element.parentElement) : null;
            if (!around) continue;
            // A field needs its boundary; a button or summary drawn as text alone (no fill, no border) is
            // known by its text, but one drawn as a shape must show the shape.
            const fill = parse(style.backgroundColor);
            const boundaries = [];
            if (fill && fill.a > 0) boundaries.push(ratio(blend(fill, around), around));
            const border = parse(style.borderTopColor);
            if (parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== "none" && border && border.a > 0) {
                boundaries.push(ratio(blend(border, around), around));
            }
            const field = element.matches("input, select, textarea");
            const drawn = boundaries.some((value) => value > 1.01);
            if (!field && !drawn) continue;
            const best = Math.max(1, ...boundaries);
            measured += 1;
            if (best < 3 - 0.005) {
                failures.push(`control ${describe(element)}: border ${style.borderTopColor} / fill ${style.backgroundColor} on ${css(around)} = ${best.toFixed(2)} < 3`);
            }
        }
    }
    return { measured, failures };
})()
