import { simulateUser, type WorldSettings } from './user-simulation.js';

/** Consecutive users' messages as JSON text, in the order generateRetailWorld yields them. */
export interface WorldLineChunk {
  firstUser: number;
  /** JSON.stringify of each message (messageLine's bytes), users one after another. */
  lines: string[];
  /** Messages of each user of the chunk, first user first: `lines` splits into users by these counts. */
  perUser: Uint32Array<ArrayBuffer>;
}

/**
 * Users [firstUser, firstUser + users) of the world. A user depends only on
 * (world, userIndex), so chunks can be made in any order, on any thread, and
 * still join into the one world.
 */
export function worldLineChunk(world: WorldSettings, firstUser: number, users: number): WorldLineChunk {
  const end = Math.min(world.users, firstUser + users);
  const perUser = new Uint32Array(Math.max(0, end - firstUser));
  const lines: string[] = [];
  for (let userIndex = firstUser; userIndex < end; userIndex++) {
    const user = simulateUser(world, userIndex, true);
    const userLines = user.lines as string[];
    for (let index = 0; index < userLines.length; index++) lines.push(userLines[index] as string);
    perUser[userIndex - firstUser] = userLines.length;
  }
  return { firstUser, lines, perUser };
}

/** Consecutive users' messages as JSONL bytes (UTF-8, one line each, newline-terminated). */
export interface WorldJsonlChunk {
  firstUser: number;
  bytes: Uint8Array<ArrayBuffer>;
  perUser: Uint32Array<ArrayBuffer>;
}

/**
 * worldLineChunk's bytes, encoded where they were made so they cross threads
 * without a copy. Each user's lines are written into the buffer as soon as
 * the user is simulated, as writeWorld does: holding a chunk's lines as
 * strings until the end promoted them all to the old generation, and
 * garbage collection took half the time.
 */
export function worldJsonlChunk(world: WorldSettings, firstUser: number, users: number): WorldJsonlChunk {
  const end = Math.min(world.users, firstUser + users);
  const perUser = new Uint32Array(Math.max(0, end - firstUser));
  // allocUnsafeSlow, not a pooled Buffer: a pool's memory cannot be transferred.
  let buffer = Buffer.allocUnsafeSlow(Math.max(1 << 16, perUser.length * ESTIMATED_BYTES_PER_USER));
  let used = 0;
  for (let userIndex = firstUser; userIndex < end; userIndex++) {
    const lines = simulateUser(world, userIndex, true).lines as string[];
    for (const line of lines) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit, plus the newline.
      if (buffer.length - used <= line.length * 3) {
        const larger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, used + line.length * 3 + 1));
        buffer.copy(larger, 0, 0, used);
        buffer = larger;
      }
      used += buffer.write(line, used);
      buffer[used++] = 0x0a;
    }
    perUser[userIndex - firstUser] = lines.length;
  }
  return { firstUser, bytes: new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, used), perUser };
}

/** ~180 messages of ~760 bytes, with room to spare (a champion has ~550). */
const ESTIMATED_BYTES_PER_USER = 256 << 10;
