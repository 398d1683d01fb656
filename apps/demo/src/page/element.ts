/** Attributes and properties of {@link h}: `class`, `dataset` entries, ARIA and plain attributes. */
export type ElementProps = Record<string, string | number | boolean | null | undefined>;

/** A child of {@link h}: an element, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element with attributes and children. Text children become text nodes, so data from
 * the stream never goes through `innerHTML`.
 *
 * @param tag - the tag name
 * @param props - attributes; `false`, `null` and `undefined` leave an attribute out, `true` sets it empty
 * @param children - child nodes or text
 * @example
 * ```ts
 * h('li', { class: 'note', 'data-id': 'n-1' }, h('strong', null, 'Deployed'), ' 2 min ago');
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: ElementProps | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/**
 * Creates an SVG element with attributes.
 *
 * @param tag - the SVG tag name
 * @param attributes - attributes, set as strings
 * @param children - child SVG elements
 */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  ...children: SVGElement[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

/**
 * Finds the element with `data-testid="<id>"` (the page's stable hooks) or throws, since the page
 * cannot work without the markup it was built for.
 *
 * @param id - the `data-testid` value
 * @param root - where to look
 */
export function byTestId<E extends Element = HTMLElement>(id: string, root: ParentNode = document): E {
  const element = root.querySelector<E>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`@app/demo: the page has no element with data-testid="${id}"`);
  return element;
}

/**
 * Makes `list`'s children match `items`, reusing the element already made for a key, so a
 * re-render neither restarts animations nor moves focus. New keys get an element from `create`;
 * `update` runs on every element, new or kept; keys no longer in `items` are removed.
 *
 * @param list - the parent element
 * @param items - the items, in display order
 * @param keyOf - a stable key per item
 * @param create - makes the element of a new item
 * @param update - brings an element up to date with its item
 */
export function renderKeyed<T, E extends Element>(
  list: Element,
  items: readonly T[],
  keyOf: (item: T) => string,
  create: (item: T) => E,
  update?: (element: E, item: T) => void,
): void {
  const known = new Map<string, E>();
  for (const child of list.children) {
    const key = (child as HTMLElement).dataset.key;
    if (key !== undefined) known.set(key, child as E);
  }
  const elements = items.map((item) => {
    const key = keyOf(item);
    let element = known.get(key);
    if (!element) {
      element = create(item);
      (element as unknown as HTMLElement).dataset.key = key;
    }
    update?.(element, item);
    return element;
  });
  // Insert only where the order differs: a prepended item moves nothing else, so the elements
  // already shown keep their state (a moved node would replay its entry animation).
  const wanted = new Set<Element>(elements);
  for (const child of [...list.children]) if (!wanted.has(child)) child.remove();
  elements.forEach((element, index) => {
    const current = list.children[index];
    if (current !== element) list.insertBefore(element, current ?? null);
  });
}
