import type { ViewModel } from "./model.js";

/**
 * Views in an order each can be created in: a view after every view its definition
 * names, otherwise by name. Dependencies are found in the text (the name as a word,
 * quoted or not), which can only over-constrain the order, never break it.
 */
export function orderViews<T extends Pick<ViewModel, "name" | "definition">>(views: readonly T[]): T[] {
  const byName = [...views].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const needs = new Map(
    byName.map((view) => [view.name, new Set(byName.filter((other) => other !== view && mentions(view.definition, other.name)).map((o) => o.name))]),
  );
  const ordered: T[] = [];
  const placed = new Set<string>();
  while (ordered.length < byName.length) {
    const next = byName.find((v) => !placed.has(v.name) && [...needs.get(v.name)!].every((n) => placed.has(n)));
    // A cycle cannot be created in a database; should the text suggest one, keep name order.
    const view = next ?? byName.find((v) => !placed.has(v.name))!;
    ordered.push(view);
    placed.add(view.name);
  }
  return ordered;
}

function mentions(definition: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w$])[\`"]?${escaped}[\`"]?($|[^\\w$])`).test(definition);
}
