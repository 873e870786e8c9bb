/**
 * Correlation: the legs of one call across B2BUAs and SBCs that change the Call-ID, grouped after
 * the model is built (pure, linear: header values are indexed, the heuristic looks only inside a
 * time window at legs sharing an element and a number). Links by header come first, strongest
 * first; the heuristic only pairs legs no header tied to anything.
 */
import type { CorrelationBasis } from "@siplens/contracts";
import type { TraceModel } from "../model/types.js";
import { heuristicLinks } from "./heuristic.js";
import { legFacts, type LegFacts } from "./legs.js";
import { icidLinks, sessionIdLinks, xCidLinks, type Link } from "./links.js";
import { itemAt, present } from "../access.js";

export interface CallGroup {
  /** "g1", "g2"… in order of the first leg's INVITE. */
  id: string;
  /** Call-IDs of the legs, in order of their INVITE. */
  callIds: string[];
  /** Basis and confidence of the weakest link that holds the group together. */
  basis: CorrelationBasis;
  confidence: number;
  /** Per Call-ID: what tied that leg to the group. */
  notes: Map<string, string>;
}

export interface Correlation {
  groups: CallGroup[];
  /** Group of a Call-ID, for calls that are one leg of a correlated call. */
  groupOf: Map<string, CallGroup>;
}

const NO_CORRELATION: Correlation = Object.freeze({ groups: [], groupOf: new Map() });

class DisjointSets {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = itemAt(this.parent, r);
    while (this.parent[i] !== r) [i, this.parent[i]] = [itemAt(this.parent, i), r];
    return r;
  }
  /** False when already joined. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
    return true;
  }
}

export function correlateCalls(model: TraceModel): Correlation {
  const legs = legFacts(model);
  if (legs.length < 2) return NO_CORRELATION;
  const sets = new DisjointSets(legs.length);
  const kept: Link[] = [];
  for (const link of [...xCidLinks(legs), ...sessionIdLinks(legs), ...icidLinks(legs)]) if (sets.union(link.a, link.b)) kept.push(link);
  const linked = new Set<number>();
  for (const l of kept) linked.add(l.a).add(l.b);
  for (const link of heuristicLinks(legs, (i) => !linked.has(i), model.oneSided)) if (sets.union(link.a, link.b)) kept.push(link);
  return buildGroups(legs, sets, kept);
}

function buildGroups(legs: LegFacts[], sets: DisjointSets, links: Link[]): Correlation {
  const byRoot = new Map<number, { members: number[]; links: Link[] }>();
  for (const l of links) {
    const r = sets.find(l.a);
    const g = byRoot.get(r) ?? present(byRoot.set(r, { members: [], links: [] }).get(r));
    g.links.push(l);
  }
  for (let i = 0; i < legs.length; i++) byRoot.get(sets.find(i))?.members.push(i);
  const start = (i: number) => itemAt(legs, i).root.requestIndex;
  const found = [...byRoot.values()];
  for (const g of found) g.members.sort((x, y) => start(x) - start(y));
  found.sort((x, y) => start(itemAt(x.members, 0)) - start(itemAt(y.members, 0)));
  const groups: CallGroup[] = [];
  for (const g of found) {
    const weakest = g.links.reduce((w, l) => (l.confidence < w.confidence ? l : w));
    const notes = new Map<string, string>();
    // a leg's note is the link that joined it; the first leg reads the link to the second
    for (const l of g.links) {
      const later = start(l.a) > start(l.b) ? l.a : l.b;
      notes.set(itemAt(legs, later).call.callId, l.note);
    }
    const first = present(legs[itemAt(g.members, 0)]).call.callId;
    if (!notes.has(first)) notes.set(first, g.links.find((l) => l.a === g.members[0] || l.b === g.members[0])?.note ?? weakest.note);
    groups.push({ id: "", callIds: g.members.map((i) => itemAt(legs, i).call.callId), basis: weakest.basis, confidence: weakest.confidence, notes });
  }
  const groupOf = new Map<string, CallGroup>();
  groups.forEach((g, n) => {
    g.id = `g${n + 1}`;
    for (const id of g.callIds) groupOf.set(id, g);
  });
  return { groups, groupOf };
}
