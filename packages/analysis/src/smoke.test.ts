import { describe, expect, it } from "vitest";
import { findingCodeSchema } from "@siplens/contracts";
describe("workspace", () => { it("resolves contracts from source", () => { expect(findingCodeSchema.options).toContain("caller-hangup"); }); });
