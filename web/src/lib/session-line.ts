// A RADIUS session as the code page and the online list show it (radius-session-list.svelte).
export interface SessionLine {
  id: bigint;
  userName: string;
  nasName: string;
  mac: string | null;
  framedIp: string | null;
  startedAt: Date;
  stoppedAt?: Date | null;
  sessionTime: number;
  /** The NAS's counters: its input is the user's upload. */
  inputOctets: bigint;
  outputOctets: bigint;
}
