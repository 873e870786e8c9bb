import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { AnalysisView } from "./AnalysisView";
import { MessagePane } from "./MessagePane";
import { bigResult, sampleResult } from "../test/sampleResult";
import { analyzeExample } from "../test/corpus";

const rows = (container: HTMLElement) => container.querySelectorAll("[data-testid=ladder-row]");

describe("AnalysisView", () => {
  it("renders summary, calls, a ladder row per message and the findings of a real trace", () => {
    const result = analyzeExample("fork-one-answers.sngrep.txt");
    const { container } = render(<AnalysisView result={result} storageKey={null} title="fork" />);
    expect(screen.getByTestId("summary-messages").textContent).toBe(result.messageCount.toLocaleString("en-US"));
    expect(screen.getAllByTestId("call-item").length).toBe(result.calls.length);
    expect(screen.getByRole("heading", { name: /^Calls/ }).textContent).toContain(String(result.calls.length));
    const ladder = screen.getByTestId("ladder");
    expect(Number(ladder.dataset.rowCount)).toBe(result.messageCount);
    expect(rows(container).length).toBeGreaterThan(0);
    for (const lane of result.ladder.lanes) expect(within(ladder).getByText(lane.name)).toBeTruthy();
  });

  it("keeps only a window of rows in the DOM for 50,000 messages", () => {
    const result = bigResult(6250);
    const { container } = render(<AnalysisView result={result} storageKey={null} title="big" />);
    expect(screen.getByTestId("ladder").dataset.rowCount).toBe("50000");
    const rendered = rows(container).length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(120);
  });

  it("selecting a finding highlights its evidence and opens the first evidence message", () => {
    const result = sampleResult();
    const { container } = render(<AnalysisView result={result} storageKey={null} title="sample" />);
    fireEvent.click(screen.getByText("Caller hung up before answer"));
    const highlighted = [...container.querySelectorAll(".lrow.evidence")].map((el) => Number((el as HTMLElement).dataset.index));
    expect(highlighted.sort((a, b) => a - b)).toEqual([0, 4, 6]);
    expect(screen.getByTestId("message-pane").textContent).toContain("#0");
    expect(screen.getByText(/RFC 3261 §9.1/)).toBeTruthy();
  });

  it("j/k step through messages, n steps through findings, Esc closes the pane", () => {
    const result = sampleResult();
    render(<AnalysisView result={result} storageKey={null} title="sample" />);
    act(() => void fireEvent.keyDown(window, { key: "j" }));
    expect(screen.getByTestId("message-pane").querySelector("h2")?.textContent).toContain("#0");
    act(() => void fireEvent.keyDown(window, { key: "j" }));
    act(() => void fireEvent.keyDown(window, { key: "ArrowDown" }));
    expect(screen.getByTestId("message-pane").querySelector("h2")?.textContent).toContain("#2");
    act(() => void fireEvent.keyDown(window, { key: "k" }));
    expect(screen.getByTestId("message-pane").querySelector("h2")?.textContent).toContain("#1");
    act(() => void fireEvent.keyDown(window, { key: "n" }));
    act(() => void fireEvent.keyDown(window, { key: "n" }));
    expect(document.querySelector(".finding.selected")?.getAttribute("data-finding-id")).toBe("f2");
    act(() => void fireEvent.keyDown(window, { key: "Escape" }));
    expect(screen.queryByTestId("message-pane")).toBeNull();
  });

  it("collapses retransmissions into the first copy with a count", () => {
    const result = sampleResult();
    const { container } = render(<AnalysisView result={result} storageKey={null} title="sample" />);
    expect(container.querySelectorAll(".lrow.retr").length).toBe(1);
    fireEvent.click(screen.getByLabelText(/Collapse retransmissions/));
    expect(container.querySelectorAll(".lrow.retr").length).toBe(0);
    expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(result.messageCount - 1));
    expect(container.textContent).toContain("INVITE ×2");
  });

  it("clicking a call shows only that call; lane rename applies to the header", () => {
    const result = sampleResult();
    render(<AnalysisView result={result} storageKey={null} title="sample" />);
    fireEvent.click(screen.getAllByTestId("call-item")[1]!.querySelector(".call-main")!);
    expect(screen.getByTestId("ladder").dataset.rowCount).toBe("9");
    fireEvent.click(within(screen.getByTestId("ladder")).getByText("proxy (127.0.11.1)"));
    const input = screen.getByLabelText("New name for proxy (127.0.11.1)");
    fireEvent.change(input, { target: { value: "kamailio" } });
    fireEvent.submit(input.closest("form")!);
    expect(within(screen.getByTestId("ladder")).getByText("kamailio")).toBeTruthy();
  });
});

describe("Ladder interactions", () => {
  it("hovering an arrow highlights its whole transaction; shift-click opens a diff", () => {
    const result = sampleResult();
    const { container } = render(<AnalysisView result={result} storageKey={null} title="sample" />);
    const row = (index: number) => container.querySelector(`.lrow[data-index="${index}"]`)!;
    fireEvent.mouseEnter(row(3));
    const hovered = [...container.querySelectorAll(".lrow.tx-hover")].map((el) => Number((el as HTMLElement).dataset.index));
    const expected = result.ladder.rows.filter((r) => r.transactionId === result.ladder.rows[3]!.transactionId).map((r) => r.index);
    expect(hovered.sort((a, b) => a - b)).toEqual(expected);
    expect(hovered).not.toContain(4); // the CANCEL is its own transaction
    fireEvent.click(row(0));
    fireEvent.click(row(4), { shiftKey: true });
    expect(screen.getByRole("tab", { name: "Diff with #4" })).toBeTruthy();
  });
});

describe("MessagePane", () => {
  it("shows raw SIP as text, never as markup", () => {
    const message = { ...sampleResult().messages[0]!, raw: 'INVITE sip:x SIP/2.0\r\nSubject: <img src=x onerror="alert(1)"><script>alert(2)</script>\r\n\r\n' };
    const { container } = render(<MessagePane message={message} compare={null} onClose={() => {}} onClearCompare={() => {}} />);
    expect(container.querySelector("img, script")).toBeNull();
    expect(screen.getByTestId("raw-message").textContent).toBe(message.raw);
  });

  it("diffs two messages side by side", () => {
    const result = sampleResult();
    render(<MessagePane message={result.messages[0]!} compare={result.messages[4]!} onClose={() => {}} onClearCompare={() => {}} />);
    fireEvent.click(screen.getByRole("tab", { name: /Diff with #4/ }));
    const diff = screen.getByTestId("message-diff");
    expect(diff.querySelectorAll(".diff-changed").length).toBeGreaterThan(0);
    expect(diff.textContent).toContain("CSeq: 1 CANCEL");
  });
});
