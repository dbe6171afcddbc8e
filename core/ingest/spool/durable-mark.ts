import { resolve } from 'node:path';

/**
 * How far a spool is durable, published by the process writing it. A reader
 * in the same process must not load bytes past this mark: they are written
 * but not yet fsync'd, and a crash could take them back after the store had
 * recorded a cursor beyond them, so later appends at those offsets would be
 * skipped. Without a writer in this process the files on disk are all there
 * is (a crashed writer's torn tail is never a complete line, and readers stop
 * at the last newline).
 */
export interface DurableMark {
  /** The file being written; every earlier file is complete. */
  file: string;
  /** Bytes of `file` known to be on disk. */
  offset: number;
}

const marks = new Map<string, DurableMark>();

export function publishDurableMark(dir: string, mark: DurableMark): void {
  marks.set(resolve(dir), mark);
}

export function retractDurableMark(dir: string): void {
  marks.delete(resolve(dir));
}

export function durableMark(dir: string): DurableMark | undefined {
  return marks.get(resolve(dir));
}
