/**
 * The raw text of every message, by index, apart from the compact message records: the ladder,
 * matching and diagnosis never read it; the message pane, the JSON document with --raw and the
 * stored message blocks do. Where it is kept is the caller's choice:
 *   - in memory (small traces, the browser, tests);
 *   - not at all (the CLI's JSON without raw text);
 *   - compressed in blocks of MESSAGE_BLOCK_SIZE, as soon as a block is full (big traces:
 *     the API stores these blocks as they are).
 */
import { MESSAGE_BLOCK_SIZE } from "@siplens/contracts";

export interface PayloadStore {
  add(text: string): void;
  /** The message text as captured ("" when not kept or out of range). */
  text(index: number): string;
  /** False when texts are dropped. */
  readonly keeps: boolean;
}

export class MemoryPayloads implements PayloadStore {
  private readonly texts: string[] = [];
  readonly keeps = true;

  add(text: string): void {
    this.texts.push(text);
  }

  text(index: number): string {
    return this.texts[index] ?? "";
  }
}

export class DroppedPayloads implements PayloadStore {
  readonly keeps = false;
  add(): void {}
  text(): string {
    return "";
  }
}

/** Compresses one block of texts, and back (the Node edge passes zlib; the browser fflate). */
export interface BlockCodec {
  encode(texts: string[]): Uint8Array;
  decode(bytes: Uint8Array): string[];
}

export class BlockPayloads implements PayloadStore {
  private readonly blocks: Uint8Array[] = [];
  private pending: string[] = [];
  private cached: { block: number; texts: string[] } | null = null;
  readonly keeps = true;

  constructor(readonly codec: BlockCodec) {}

  add(text: string): void {
    this.pending.push(text);
    if (this.pending.length === MESSAGE_BLOCK_SIZE) this.seal();
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    this.blocks.push(this.codec.encode(this.pending));
    this.pending = [];
  }

  /** The encoded block (all blocks are sealed by then); undefined past the end. */
  encodedBlock(block: number): Uint8Array | undefined {
    this.seal();
    return this.blocks[block];
  }

  text(index: number): string {
    const block = Math.floor(index / MESSAGE_BLOCK_SIZE);
    if (block === this.blocks.length) return this.pending[index - block * MESSAGE_BLOCK_SIZE] ?? "";
    if (this.cached?.block !== block) {
      const bytes = this.blocks[block];
      if (!bytes) return "";
      this.cached = { block, texts: this.codec.decode(bytes) };
    }
    return this.cached.texts[index - block * MESSAGE_BLOCK_SIZE] ?? "";
  }
}
