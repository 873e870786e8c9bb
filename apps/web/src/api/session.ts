import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";
import { clearAccountCaches, meQuery } from "./queries";

/** The signed-in user, or null. A server without accounts (or offline) counts as signed out. */
export function useMe() {
  return useQuery(meQuery());
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({ mutationFn: api.signOut, onSettled: () => clearAccountCaches(client) });
}
