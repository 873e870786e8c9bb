// Inputs for the fuzzer: a real seed with a few mutations of the kinds that break readers in the
// field (bit flips, length fields set to extremes, cuts, splices of two real files, repeated or
// dropped ranges), or plain random bytes behind a real magic number, pushed in random chunk sizes.
import fc from "fast-check";
import { joinBytes } from "../fixtures/capture/support.js";

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "extreme"; at: number; width: 1 | 2 | 4; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "duplicate"; at: number; length: number; to: number }
  | { kind: "splice"; at: number; other: number; from: number };

export interface FuzzInput {
  bytes: Uint8Array;
  /** Sizes of the chunks the reader is given, cycled; streaming readers must not care. */
  chunk: number;
  /** How the input was made, printed when it fails. */
  recipe: string;
}

const position = fc.nat({ max: 1 << 20 });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("set" as const), at: position, value: fc.integer({ min: 0, max: 255 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("extreme" as const),
      at: position,
      width: fc.constantFrom(1 as const, 2 as const, 4 as const),
      value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 256 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 48 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), at: position, length: fc.integer({ min: 1, max: 2048 }), to: position }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("splice" as const), at: position, other: fc.nat(), from: position }) },
);

function apply(input: Uint8Array, m: Mutation, seeds: readonly Uint8Array[]): Uint8Array {
  const n = input.length;
  if (n === 0) return m.kind === "insert" ? m.bytes : input;
  const at = m.at % n;
  switch (m.kind) {
    case "flip": {
      const out = input.slice();
      out[at] = out[at]! ^ (1 << m.bit);
      return out;
    }
    case "set": {
      const out = input.slice();
      out[at] = m.value;
      return out;
    }
    case "extreme": {
      const out = input.slice();
      for (let i = 0; i < m.width && at + i < n; i++) out[at + i] = (m.value >>> (8 * i)) & 0xff;
      return out;
    }
    case "truncate":
      return input.subarray(0, at);
    case "delete":
      return concat(input.subarray(0, at), input.subarray(Math.min(n, at + m.length)));
    case "insert":
      return concat(input.subarray(0, at), m.bytes, input.subarray(at));
    case "duplicate": {
      const range = input.subarray(at, Math.min(n, at + m.length));
      const to = m.to % n;
      return concat(input.subarray(0, to), range, input.subarray(to));
    }
    case "splice": {
      const other = seeds[m.other % seeds.length]!;
      return concat(input.subarray(0, at), other.subarray(other.length === 0 ? 0 : m.from % other.length));
    }
  }
}

const concat = (...parts: Uint8Array[]) => joinBytes(parts);

const describeMutation = (m: Mutation) =>
  m.kind === "insert" ? `insert ${m.bytes.length} bytes at ${m.at}` : `${m.kind} ${JSON.stringify({ ...m, kind: undefined })}`;

/** A chunk size: often tiny (every boundary matters), sometimes whole-input. */
const chunkSize = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) },
  { weight: 3, arbitrary: fc.integer({ min: 8, max: 4096 }) },
  { weight: 2, arbitrary: fc.constant(1 << 20) },
);

/** Seeds with 1–6 mutations each. */
function mutatedSeeds(seeds: readonly Uint8Array[]): fc.Arbitrary<FuzzInput> {
  return fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }), chunk: chunkSize })
    .map(({ seed, mutations, chunk }) => ({
      bytes: mutations.reduce((b, m) => apply(b, m, seeds), seeds[seed]!),
      chunk,
      recipe: `seed #${seed} (${seeds[seed]!.length} bytes), ${mutations.map(describeMutation).join("; ")}`,
    }));
}

/** Random bytes, optionally behind the first bytes of a seed (so they pass format detection). */
function randomBehindMagic(seeds: readonly Uint8Array[]): fc.Arbitrary<FuzzInput> {
  return fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), keep: fc.integer({ min: 0, max: 64 }), tail: fc.uint8Array({ maxLength: 4096 }), chunk: chunkSize })
    .map(({ seed, keep, tail, chunk }) => ({
      bytes: concat(seeds[seed]!.subarray(0, keep), tail),
      chunk,
      recipe: `first ${keep} bytes of seed #${seed}, then ${tail.length} random bytes`,
    }));
}

/** What the fuzzer feeds a reader: mostly mutated real input, some random bytes. */
export function fuzzInputs(seeds: readonly Uint8Array[]): fc.Arbitrary<FuzzInput> {
  return fc.oneof({ weight: 4, arbitrary: mutatedSeeds(seeds) }, { weight: 1, arbitrary: randomBehindMagic(seeds) });
}
