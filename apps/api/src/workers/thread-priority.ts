import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the CPU priority of the calling thread only. On Linux the nice value belongs to each
 * thread, and /proc/thread-self names this one's id; elsewhere this does nothing (false).
 */
export function niceThisThread(niceness: number): boolean {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
