/** Keyset cursor for newest-first lists: the (createdAt, id) of the last item served. */
export interface ListCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString("base64url");
}

/** null for anything that is not a cursor we issued (the caller answers 400). */
export function decodeCursor(text: string): ListCursor | null {
  const [iso, id, extra] = Buffer.from(text, "base64url").toString("utf8").split("|");
  if (!iso || !id || extra !== undefined) return null;
  const createdAt = new Date(iso);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
}
