/** Who is asking: a signed-in user, a browser with an anonymous key, both or neither. */
export interface Actor {
  userId: string | null;
  /** sha256 of the browser's "siplens_anon" cookie. */
  anonKeyHash: string | null;
  /**
   * Keyed hash of the client's address. Anonymous keys are free to mint (drop the cookie), the
   * address is not: queue depth and scheduling of anonymous jobs count per address.
   */
  clientKey?: string | null;
}

/** The Prisma filter of what the actor owns: account-owned things belong to the account only, anonymous ones to the browser that made them. */
export function ownedBy(actor: Actor) {
  const clauses: Array<Record<string, unknown>> = [];
  if (actor.userId) clauses.push({ ownerId: actor.userId });
  if (actor.anonKeyHash) clauses.push({ ownerId: null, anonKeyHash: actor.anonKeyHash });
  return clauses.length ? { OR: clauses } : { id: { in: [] as string[] } };
}
