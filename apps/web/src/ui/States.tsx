import type { ReactNode } from "react";
import { Link } from "react-router";

export function Loading({ label }: { label: string }) {
  return (
    <div className="state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page narrow">
      <div className="alert alert-error" role="alert">
        <div>
          <strong>{title}</strong>
          {children && <div className="alert-message">{children}</div>}
        </div>
      </div>
      <p>
        <Link to="/">Start a new analysis</Link>
      </p>
    </div>
  );
}
