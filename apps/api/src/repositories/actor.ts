/** Who is asking: a signed-in user, a browser with an anonymous key, both or neither. */
export interface Actor {
  userId: string | null;
  /** sha256 of the browser's "siplens_anon" cookie. */
  anonKeyHash: string | null;
}

export interface Ownable {
  ownerId: string | null;
  anonKeyHash: string | null;
}

/** Account-owned things belong to the account only; anonymous ones to the browser that made them. */
export function owns(actor: Actor, thing: Ownable): boolean {
  if (thing.ownerId !== null) return thing.ownerId === actor.userId;
  return thing.anonKeyHash !== null && thing.anonKeyHash === actor.anonKeyHash;
}

/** Prisma filter equivalent of owns(). */
export function ownedBy(actor: Actor) {
  const clauses: Array<Record<string, unknown>> = [];
  if (actor.userId) clauses.push({ ownerId: actor.userId });
  if (actor.anonKeyHash) clauses.push({ ownerId: null, anonKeyHash: actor.anonKeyHash });
  return clauses.length ? { OR: clauses } : { id: { in: [] as string[] } };
}
