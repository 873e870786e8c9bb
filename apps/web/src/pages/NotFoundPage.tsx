import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <div className="page narrow">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Start a new analysis</Link>.
      </p>
    </div>
  );
}
