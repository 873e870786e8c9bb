import type { IncomingMessage } from "node:http";

/**
 * After an answer sent before its request body was read (a refused or handed-back upload): the
 * rest of the body is read and dropped, and the connection is ended from our side. Closing the
 * socket with unread bytes would make the kernel reset it, and a reset can destroy the answer
 * before the client reads it. A client that keeps sending is cut off after `lingerMs`.
 */
export function closeAfterEarlyAnswer(req: IncomingMessage, lingerMs = 2000): void {
  const socket = req.socket as IncomingMessage["socket"] | undefined;
  // Only on a real connection (inject() has none) whose request is still arriving.
  if (req.complete !== false || typeof socket?.end !== "function") return;
  req.unpipe();
  req.resume();
  socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
