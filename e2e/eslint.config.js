import { base } from "@siplens/eslint-config/base";

export default base(import.meta.url);
