import closeWithGrace from "close-with-grace";
import { createApp } from "./app.js";
import { loadConfig } from "./config/env.js";
import { logSerializers } from "./lib/log-serializers.js";
import { applySocketLimits, serverTimeouts } from "./server-timeouts.js";

/** The process shell: read config once, build the app, listen, close gracefully on signals. */
const config = loadConfig();
const app = await createApp(config, {
  logger: { level: config.LOG_LEVEL, serializers: logSerializers, ...(process.stdout.isTTY ? { transport: undefined } : {}) },
  ...serverTimeouts(config),
});
applySocketLimits(app, config);

closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, "closing after an error");
  else app.log.info({ signal }, "shutting down");
  await app.close();
});

try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (err) {
  app.log.error({ err }, "could not listen");
  process.exit(1);
}
