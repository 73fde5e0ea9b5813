import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc; null where there is no /proc.
 * Per-request CPU time is a steadier measure than requests per second on a machine shared with other work.
 */
export function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces) start at field 3: utime is 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
