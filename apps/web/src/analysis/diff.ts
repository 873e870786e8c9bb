import { itemAt, present } from "@siplens/analysis/access";
export type DiffLine =
  | { kind: "same"; left: string; right: string }
  | { kind: "changed"; left: string; right: string }
  | { kind: "removed"; left: string }
  | { kind: "added"; right: string };

const MAX_LINES = 3000;

/**
 * Line diff of two SIP messages for a side-by-side view (LCS). A removed line directly followed by an
 * added one is shown as one changed pair, which is how headers rewritten by a proxy read best.
 */
export function diffLines(leftText: string, rightText: string): DiffLine[] {
  const left = leftText.replace(/\r\n/g, "\n").split("\n").slice(0, MAX_LINES);
  const right = rightText.replace(/\r\n/g, "\n").split("\n").slice(0, MAX_LINES);
  const n = left.length;
  const m = right.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = itemAt(lcs, i);
    const below = itemAt(lcs, i + 1);
    for (let j = m - 1; j >= 0; j--) row[j] = left[i] === right[j] ? itemAt(below, j + 1) + 1 : Math.max(itemAt(below, j), itemAt(row, j + 1));
  }
  const raw: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (left[i] === right[j]) {
      raw.push({ kind: "same", left: itemAt(left, i), right: itemAt(right, j) });
      i++;
      j++;
    } else if (present(itemAt(lcs, i + 1)[j]) >= present(itemAt(lcs, i)[j + 1])) raw.push({ kind: "removed", left: itemAt(left, i++) });
    else raw.push({ kind: "added", right: itemAt(right, j++) });
  }
  while (i < n) raw.push({ kind: "removed", left: itemAt(left, i++) });
  while (j < m) raw.push({ kind: "added", right: itemAt(right, j++) });
  return pairChanges(raw);
}

function pairChanges(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = itemAt(lines, k);
    if (line.kind !== "removed") {
      out.push(line);
      continue;
    }
    const removed: string[] = [];
    while (k < lines.length && itemAt(lines, k).kind === "removed") removed.push((lines[k++] as { left: string }).left);
    const added: string[] = [];
    while (k < lines.length && itemAt(lines, k).kind === "added") added.push((lines[k++] as { right: string }).right);
    k--;
    const pairs = Math.max(removed.length, added.length);
    for (let p = 0; p < pairs; p++) {
      const l = removed[p];
      const r = added[p];
      if (l !== undefined && r !== undefined) out.push({ kind: "changed", left: l, right: r });
      else if (l !== undefined) out.push({ kind: "removed", left: l });
      else if (r !== undefined) out.push({ kind: "added", right: r });
    }
  }
  return out;
}
