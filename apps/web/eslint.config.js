import { react } from "@siplens/eslint-config/react";

export default react(import.meta.url);
