import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { useMe, useSignOut } from "../api/session";
import { ClaimNotice } from "./ClaimNotice";

export function Layout() {
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const user = me.data?.user ?? null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="siplens home">
          <svg width="20" height="20" viewBox="0 0 16 16" aria-hidden="true">
            <rect width="16" height="16" rx="3" fill="currentColor" />
            <path d="M4 4v8M12 4v8M4 7h8" stroke="#fff" strokeWidth="1.6" />
          </svg>
          <span>siplens</span>
        </Link>
        <nav aria-label="Main" className="topnav">
          <NavLink to="/" end>
            New analysis
          </NavLink>
          {user && <NavLink to="/analyses">My analyses</NavLink>}
          <NavLink to="/guide">Finding guide</NavLink>
        </nav>
        <div className="topbar-user">
          {me.isPending ? null : user ? (
            <>
              <span className="muted" title={user.email}>
                {user.name || user.email}
              </span>
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate("/") })}
                disabled={signOut.isPending}
              >
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/sign-in">Sign in</NavLink>
              <Link to="/sign-up" className="btn btn-small">
                Sign up
              </Link>
            </>
          )}
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <ClaimNotice />
        <Outlet />
      </main>
    </div>
  );
}
