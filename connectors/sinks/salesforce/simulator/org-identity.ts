/**
 * Who the fake org is: its Organization and integration User ids, derived from the simulator seed
 * so two simulators are two orgs: a 3-character key prefix (`00D`
 * Organization, `005` User), the pod `5g`, a reserved `0`, nine base-62
 * characters, then the 3-character case checksum of the 18-character form
 * the identity URL carries.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function orgIdFor(seed: number): string {
  return recordId('00D', seed);
}

export function userIdFor(seed: number): string {
  // Another stream than the org's, so the user id does not repeat the org id's digits.
  return recordId('005', seed ^ 0x5bd1e995);
}

/** The 15-character, case-sensitive form (session ids start with the org's). */
export function shortId(id: string): string {
  return id.slice(0, 15);
}

function recordId(keyPrefix: string, seed: number): string {
  // murmur3's finalizer is a bijection on 32 bits, and nine base-62 digits hold more than 2^32: distinct seeds, distinct ids.
  // The offset keeps seed 0 from becoming an all-zero id.
  let value = (seed + 0x9e3779b9) >>> 0;
  value = Math.imul(value ^ (value >>> 16), 0x85ebca6b) >>> 0;
  value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35) >>> 0;
  value = (value ^ (value >>> 16)) >>> 0;
  let digits = '';
  for (let index = 0; index < 9; index += 1) {
    digits = (BASE62[value % 62] as string) + digits;
    value = Math.floor(value / 62);
  }
  const id = `${keyPrefix}5g0${digits}`;
  return id + checksum(id);
}

/** Each 5-character chunk gives one character: bit i is set when character i is upper case. */
function checksum(id: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let flags = 0;
    for (let position = 0; position < 5; position += 1) {
      const character = id[chunk * 5 + position] ?? '';
      if (character >= 'A' && character <= 'Z') flags |= 1 << position;
    }
    suffix += CHECKSUM[flags] as string;
  }
  return suffix;
}
