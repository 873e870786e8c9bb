import { Link, useParams } from "react-router";
import { findingCodeSchema } from "@siplens/contracts";
import { FINDING_NAMES } from "../analysis/summary";
import { rfcLink } from "../ui/rfc";
import { GUIDE, guideEntry, type GuideEntry } from "./entries";
import { GuideLadder } from "./GuideLadder";
import { GUIDE_INDEX_PATH, guidePath } from "./paths";

/** /guide: every finding code, what it means in a line. Public, like every guide page. */
export function GuideIndexPage() {
  return (
    <div className="page guide">
      <h1>Finding guide</h1>
      <p>What each finding siplens reports means, how it looks on a ladder, why it happens and what to check next — each drawn from a real capture.</p>
      <ul className="guide-index">
        {findingCodeSchema.options.map((code) => (
          <li key={code}>
            <Link to={guidePath(code)}>{FINDING_NAMES[code]}</Link> <code className="mono small">{code}</code>
            <span className="guide-summary">{GUIDE[code].summary}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** /guide/:code: one finding explained; an unknown code gets a page that says so. */
export function GuideCodePage() {
  const { code = "" } = useParams();
  const entry = guideEntry(code);
  if (!entry) return <GuideNotFound code={code} />;
  return <GuideArticle entry={entry} />;
}

/** One entry's page (exported for tests that give it an entry of their own). */
export function GuideArticle({ entry }: { entry: GuideEntry }) {
  const { code } = entry;
  return (
    <article className="page guide" aria-labelledby="guide-title" data-testid="guide-page" data-code={code}>
      <nav aria-label="Breadcrumb" className="small">
        <Link to={GUIDE_INDEX_PATH}>Finding guide</Link> / <span className="mono">{code}</span>
      </nav>
      <h1 id="guide-title">
        {FINDING_NAMES[code]} <code className="mono guide-code">{code}</code>
      </h1>
      <p className="guide-lead">{entry.summary}</p>
      <p className="small">
        <strong>Severity:</strong> {entry.severity}
      </p>

      <section aria-labelledby="g-meaning">
        <h2 id="g-meaning">What it means</h2>
        {entry.meaning.map((text) => (
          <p key={text}>{text}</p>
        ))}
      </section>

      <section aria-labelledby="g-ladder">
        <h2 id="g-ladder">How it looks on a ladder</h2>
        {entry.ladder.map((text) => (
          <p key={text}>{text}</p>
        ))}
        <GuideLadder code={code} example={entry.example} />
      </section>

      <section aria-labelledby="g-why">
        <h2 id="g-why">Why it happens</h2>
        <ul>
          {entry.why.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="g-next">
        <h2 id="g-next">What to check next</h2>
        <ul>
          {entry.checkNext.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="g-rfc">
        <h2 id="g-rfc">RFC sections</h2>
        <dl className="guide-rfc">
          {entry.rfc.map((r) => (
            <div key={r.ref}>
              <dt>
                <a href={rfcLink(r.ref)} target="_blank" rel="noreferrer noopener">
                  {r.ref}
                </a>
              </dt>
              <dd>{r.says}</dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}

function GuideNotFound({ code }: { code: string }) {
  return (
    <div className="page narrow" data-testid="guide-not-found">
      <h1>No such finding</h1>
      <p>
        siplens has no finding called <code className="mono">{code || "(empty)"}</code>. <Link to={GUIDE_INDEX_PATH}>See every finding in the guide</Link>.
      </p>
    </div>
  );
}
