// Small DOM helpers shared by the certificate pages (create, details). No framework: a few forms do not need one.

export interface VsCodeApi<M> {
  postMessage(message: M): void;
}
declare function acquireVsCodeApi<M>(): VsCodeApi<M>;

/** The webview API, acquired once per page. */
export function vscodeApi<M>(): VsCodeApi<M> {
  return acquireVsCodeApi<M>();
}

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

/** Creates an element with text content (never innerHTML: every string from the host is text). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; attrs?: Record<string, string> } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
