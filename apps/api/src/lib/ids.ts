import { createHash, randomBytes } from "node:crypto";

/** 128 random bits, base64url (22 characters): ids and tokens nobody can guess. */
export const randomId = (): string => randomBytes(16).toString("base64url");

export const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
