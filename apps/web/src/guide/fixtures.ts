import type { FixtureName } from "./entries";

/**
 * URLs of the committed traces the guide draws. "examples/…" are the start page's examples (served
 * from public/); "diagnosis/…" are the analyzer's SIPp/Kamailio test captures, which Vite copies into
 * the build as fingerprinted assets. Only URLs are bundled: a page fetches just its own trace.
 */
// Only the captures the guide draws become public assets (Vite needs literal paths here).
const diagnosisUrls: Record<string, string> = import.meta.glob(
  "../../../../packages/analysis/test/fixtures/diagnosis/{b2bua-other-leg,bad-content-length,cancel-wrong-branch,final-mapped-to-487,fork-all-timed-out,late-cancel,uas-487-after-200,uas-487-timer}.pcap",
  {
    // no-inline: the API's CSP (connect-src 'self') would refuse to fetch a data: URL.
    query: "?url&no-inline",
    import: "default",
    eager: true,
  },
);

const byFile = new Map(Object.entries(diagnosisUrls).map(([path, url]) => [path.slice(path.lastIndexOf("/") + 1), url]));

export function fixtureUrl(name: FixtureName): string | undefined {
  const slash = name.indexOf("/");
  const folder = name.slice(0, slash);
  const file = name.slice(slash + 1);
  if (folder === "examples") return `/examples/${encodeURIComponent(file)}`;
  return byFile.get(file);
}

export async function loadFixture(name: FixtureName): Promise<Uint8Array> {
  const url = fixtureUrl(name);
  if (!url) throw new Error(`The example trace ${name} is not part of this build.`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The example trace ${name} could not be loaded (HTTP ${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
}
