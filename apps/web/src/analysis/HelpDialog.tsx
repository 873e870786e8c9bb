import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { GUIDE_INDEX_PATH } from "../guide/paths";

const KEYS: [string, string][] = [
  ["j / ↓", "next message"],
  ["k / ↑", "previous message"],
  ["n", "next finding"],
  ["p", "previous finding"],
  ["Shift-click", "compare two messages"],
  ["Esc", "close panes and dialogs"],
  ["?", "show this help"],
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="help-title" onClose={onClose} onCancel={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="keys">
        <tbody>
          {KEYS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        <Link to={GUIDE_INDEX_PATH}>Finding guide</Link>: what every finding means, with a ladder from a real capture.
      </p>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
