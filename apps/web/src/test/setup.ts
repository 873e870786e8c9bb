import { afterEach } from "vitest";
import { cleanup, configure } from "@testing-library/react";

afterEach(() => cleanup());
// findBy/waitFor give up after 1 s by default: too short on a loaded 2-core CI machine, where
// opening a page (parts fetched, analyzer output rendered) alone can take longer.
configure({ asyncUtilTimeout: 5000 });

/*
 * happy-dom has no layout engine: every element is 0×0, so a virtualized list would render nothing.
 * Give the scroll containers the size of a laptop viewport pane so virtualization can be tested.
 */
const SCROLLERS: Record<string, { width: number; height: number }> = {
  "ladder-scroll": { width: 900, height: 600 },
  "call-scroll": { width: 270, height: 500 },
};
function sizeOf(element: HTMLElement, axis: "width" | "height"): number | undefined {
  for (const [name, size] of Object.entries(SCROLLERS)) if (element.classList.contains(name)) return size[axis];
  return undefined;
}
const proto = HTMLElement.prototype;
const originalWidth = Object.getOwnPropertyDescriptor(Element.prototype, "clientWidth") ?? Object.getOwnPropertyDescriptor(proto, "clientWidth");
const originalHeight = Object.getOwnPropertyDescriptor(Element.prototype, "clientHeight") ?? Object.getOwnPropertyDescriptor(proto, "clientHeight");
Object.defineProperty(proto, "clientWidth", {
  configurable: true,
  get(this: HTMLElement) {
    return sizeOf(this, "width") ?? (originalWidth?.get?.call(this) as number | undefined) ?? 0;
  },
});
Object.defineProperty(proto, "clientHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return sizeOf(this, "height") ?? (originalHeight?.get?.call(this) as number | undefined) ?? 0;
  },
});
// …and as tall as the content a virtualizer sized in its inline styles, so it can scroll to a row.
const originalScrollHeight = Object.getOwnPropertyDescriptor(Element.prototype, "scrollHeight") ?? Object.getOwnPropertyDescriptor(proto, "scrollHeight");
Object.defineProperty(proto, "scrollHeight", {
  configurable: true,
  get(this: HTMLElement) {
    const height = sizeOf(this, "height");
    if (height === undefined) return (originalScrollHeight?.get?.call(this) as number | undefined) ?? 0;
    const content = [...this.children].reduce((sum, child) => sum + (Number.parseFloat((child as HTMLElement).style.height) || 0), 0);
    return Math.max(height, content);
  },
});
