import { useId, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { clearAccountCaches } from "../api/queries";
import type { SignInResult } from "../api/schemas";
import type { ClaimState } from "../app/ClaimNotice";

/** Only same-site paths may be used as the post-sign-in destination. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/analyses";
}

function useAfterAuth() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const next = safeNext(params.get("next"));
  const reason = params.get("reason");
  return {
    next,
    reason,
    query: params.toString() ? `?${params}` : "",
    done: async (result: SignInResult) => {
      // This browser's anonymous analyses moved into the account on sign-in: re-read them as saved.
      await clearAccountCaches(client);
      const state: ClaimState = { claimedAnalyses: result.claimedAnalyses };
      void navigate(next, { state });
    },
  };
}

/** Runs an auth call from a form, then continues where the user was going; errors are shown inline. */
function useAuthForm(call: (form: FormData) => Promise<SignInResult>, check?: (form: FormData) => string | null) {
  const after = useAfterAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const problem = check?.(form) ?? null;
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await after.done(await call(form));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return { after, error, busy, onSubmit: (event: FormEvent<HTMLFormElement>) => void submit(event) };
}

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

export function SignInPage() {
  const ids = { email: useId(), password: useId() };
  const { after, error, busy, onSubmit } = useAuthForm((form) => api.signIn(field(form, "email"), field(form, "password")));
  return (
    <div className="page narrow auth">
      <h1>Sign in</h1>
      {after.reason === "save" && <p className="notice">Sign in to save this analysis to your account. It stays exactly as it is.</p>}
      <form onSubmit={onSubmit} className="form">
        <label htmlFor={ids.email}>Email</label>
        <input id={ids.email} name="email" type="email" autoComplete="email" required />
        <label htmlFor={ids.password}>Password</label>
        <input id={ids.password} name="password" type="password" autoComplete="current-password" required />
        {error && <p className="alert alert-error" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      </form>
      <p>No account yet? <Link to={`/sign-up${after.query}`}>Create one</Link>.</p>
    </div>
  );
}

export function SignUpPage() {
  const ids = { name: useId(), email: useId(), password: useId() };
  const { after, error, busy, onSubmit } = useAuthForm(
    (form) => api.signUp(field(form, "name"), field(form, "email"), field(form, "password")),
    (form) => (field(form, "password").length < 8 ? "The password needs at least 8 characters." : null),
  );
  return (
    <div className="page narrow auth">
      <h1>Create an account</h1>
      {after.reason === "save" && <p className="notice">Create an account to save this analysis. It stays exactly as it is.</p>}
      <form onSubmit={onSubmit} className="form">
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} name="name" autoComplete="name" required />
        <label htmlFor={ids.email}>Email</label>
        <input id={ids.email} name="email" type="email" autoComplete="email" required />
        <label htmlFor={ids.password}>Password <span className="muted small">(at least 8 characters)</span></label>
        <input id={ids.password} name="password" type="password" autoComplete="new-password" minLength={8} required />
        {error && <p className="alert alert-error" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? "Creating account…" : "Sign up"}</button>
      </form>
      <p>Already have an account? <Link to={`/sign-in${after.query}`}>Sign in</Link>.</p>
    </div>
  );
}
