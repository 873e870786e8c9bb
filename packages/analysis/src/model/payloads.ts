/**
 * The raw text of every message, by index, apart from the compact message records: the ladder,
 * matching and diagnosis never read it; the message pane, the JSON document and the stored
 * message blocks do.
 */
export class PayloadStore {
  private readonly texts: string[] = [];

  add(text: string): void {
    this.texts.push(text);
  }

  get count(): number {
    return this.texts.length;
  }

  /** The message text as captured ("" for an index out of range). */
  text(index: number): string {
    return this.texts[index] ?? "";
  }
}
