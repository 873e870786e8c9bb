import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";

export const meKey = ["me"] as const;

/** The signed-in user, or null. A server without accounts (or offline) counts as signed out. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: api.me, staleTime: 60_000, retry: false });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: api.signOut,
    onSettled: async () => {
      client.removeQueries({ queryKey: ["analyses"] });
      await client.invalidateQueries({ queryKey: meKey });
    },
  });
}
