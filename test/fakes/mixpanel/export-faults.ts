/**
 * Faults the export fake injects, consumed in order by the next admitted
 * request(s): a forced status (500, 503, …), a gzip body cut short, a
 * connection dropped or silent mid-body. Stream faults may target one day
 * (`from_date`), so a test can break day 2 of a run and not day 1.
 */
export type StreamFault = { kind: 'truncate'; keep: number; day?: string } | { kind: 'reset' | 'stall'; day?: string };

export interface ExportFaults {
  /** The next `times` admitted requests answer `status`. */
  failNext(status: number, times?: number): void;
  /** The next `times` successful bodies (of `day`, when given) are gzip cut to `keep` (0..1) of their bytes. @default keep 0.6 */
  truncateNext(options?: { times?: number; keep?: number; day?: string }): void;
  /** The next `times` successful bodies (of `day`, when given) stop halfway and the socket closes. */
  resetNext(options?: { times?: number; day?: string }): void;
  /** The next `times` successful bodies (of `day`, when given) stop halfway and the socket stays open, silent. */
  stallNext(options?: { times?: number; day?: string }): void;
  takeStatus(): number | undefined;
  takeStream(day: string): StreamFault | undefined;
}

export function createExportFaults(): ExportFaults {
  const statuses: number[] = [];
  const streams: StreamFault[] = [];
  const repeat = (times: number, fault: StreamFault) => {
    for (let index = 0; index < times; index++) streams.push({ ...fault });
  };
  return {
    failNext(status, times = 1) {
      for (let index = 0; index < times; index++) statuses.push(status);
    },
    truncateNext(options = {}) {
      repeat(options.times ?? 1, { kind: 'truncate', keep: options.keep ?? 0.6, ...(options.day ? { day: options.day } : {}) });
    },
    resetNext(options = {}) {
      repeat(options.times ?? 1, { kind: 'reset', ...(options.day ? { day: options.day } : {}) });
    },
    stallNext(options = {}) {
      repeat(options.times ?? 1, { kind: 'stall', ...(options.day ? { day: options.day } : {}) });
    },
    takeStatus: () => statuses.shift(),
    takeStream(day) {
      const index = streams.findIndex((fault) => fault.day === undefined || fault.day === day);
      return index === -1 ? undefined : streams.splice(index, 1)[0];
    },
  };
}
