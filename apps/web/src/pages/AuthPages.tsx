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

// Every field of these forms is text (a File would have no words to read).
const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export function SignInPage() {
  const ids = { email: useId(), password: useId() };
  const { after, error, busy, onSubmit } = useAuthForm((form) => api.signIn(field(form, "email"), field(form, "password")));
  return (
    <div className="page narrow auth">
      <h1>Sign in</h1>
      {after.reason === "save" && <p className="notice">Sign in to save this analysis to your account. It stays exactly as it is.</p>}
      {after.reason === "reset" && <p className="notice">Your password is changed and every session signed out: sign in with the new one.</p>}
      <form onSubmit={onSubmit} className="form">
        <label htmlFor={ids.email}>Email</label>
        <input id={ids.email} name="email" type="email" autoComplete="email" required />
        <label htmlFor={ids.password}>Password</label>
        <input id={ids.password} name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <p>
        No account yet? <Link to={`/sign-up${after.query}`}>Create one</Link>.
      </p>
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
        <label htmlFor={ids.password}>
          Password <span className="muted small">(at least 8 characters)</span>
        </label>
        <input id={ids.password} name="password" type="password" autoComplete="new-password" minLength={8} required />
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Creating account…" : "Sign up"}
        </button>
      </form>
      <p>
        Already have an account? <Link to={`/sign-in${after.query}`}>Sign in</Link>.
      </p>
    </div>
  );
}

/** A form that calls the server once and then shows what happened instead of itself. */
function useOnceForm(call: (form: FormData) => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    call(form)
      .then(
        () => setDone(true),
        (e: unknown) => setError(describeError(e)),
      )
      .finally(() => setBusy(false));
  };
  return { error, busy, done, onSubmit };
}

export function ForgotPasswordPage() {
  const email = useId();
  const { error, busy, done, onSubmit } = useOnceForm((form) => api.requestPasswordReset(field(form, "email")));
  return (
    <div className="page narrow auth">
      <h1>Forgot password</h1>
      {done ? (
        <p className="notice" role="status">
          If an account has this email, a reset link is on its way. (Without a mail server, the link is in the server&apos;s log: ask whoever runs this site.)
        </p>
      ) : (
        <form onSubmit={onSubmit} className="form">
          <label htmlFor={email}>Email</label>
          <input id={email} name="email" type="email" autoComplete="email" required />
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? "Sending…" : "Send reset link"}
          </button>
        </form>
      )}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  const password = useId();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token");
  const { error, busy, onSubmit } = useOnceForm(async (form) => {
    await api.resetPassword(token ?? "", field(form, "password"));
    void navigate("/sign-in?reason=reset");
  });
  if (!token || params.get("error")) {
    return (
      <div className="page narrow auth">
        <h1>Set a new password</h1>
        <p className="alert alert-error" role="alert">
          This reset link is not valid any more (they last an hour and work once).
        </p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page narrow auth">
      <h1>Set a new password</h1>
      <form onSubmit={onSubmit} className="form">
        <label htmlFor={password}>
          New password <span className="muted small">(at least 8 characters)</span>
        </label>
        <input id={password} name="password" type="password" autoComplete="new-password" minLength={8} required />
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Set password"}
        </button>
      </form>
    </div>
  );
}
