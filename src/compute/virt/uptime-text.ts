/** What `uptime` prints, as numbers. */
export interface HostUptimeFacts {
  /** The host's local time now. */
  now: Date;
  /** Seconds since boot. */
  upSeconds: number;
  /** Logged-in user sessions. */
  users: number;
  /** The 1, 5 and 15 minute load averages. */
  load: [number, number, number];
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * The line procps' `uptime` prints (` 08:32:11 up 93 days, 18:25,  2 users,  load average: 0.20,
 * 0.12, 0.14`), which Nova's get_host_uptime returns as it is (its libvirt driver runs `uptime`).
 */
export function uptimeText(f: HostUptimeFacts): string {
  const clock = `${pad2(f.now.getHours())}:${pad2(f.now.getMinutes())}:${pad2(f.now.getSeconds())}`;
  const totalMin = Math.floor(f.upSeconds / 60);
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const mins = totalMin % 60;
  let up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ` : '';
  up += hours > 0 ? `${String(hours).padStart(2)}:${pad2(mins)}` : `${mins} min`;
  const users = `${String(f.users).padStart(2)} user${f.users === 1 ? '' : 's'}`;
  const load = f.load.map((x) => x.toFixed(2)).join(', ');
  return ` ${clock} up ${up}, ${users},  load average: ${load}`;
}
