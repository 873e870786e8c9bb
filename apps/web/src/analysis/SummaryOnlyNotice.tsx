import type { SummaryOnlyNotice as Notice } from "@siplens/contracts";

/** Said before anything else when the input named SIP messages without carrying them: there is nothing to diagnose. */
export function SummaryOnlyNotice({ notice }: { notice: Notice }) {
  return (
    <section className="notice summary-only" aria-labelledby="summary-only-title" data-testid="summary-only">
      <h2 id="summary-only-title">This {notice.formatName} has no full SIP messages</h2>
      <p>{notice.reason}</p>
      <ul>
        {notice.exports.map((e) => (
          <li key={e.how}>
            {e.how}
            {e.command && (
              <>
                : <code className="mono">{e.command}</code>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
