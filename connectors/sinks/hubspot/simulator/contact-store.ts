/**
 * The contacts of the fake account. HubSpot keys contacts by a numeric
 * record id and keeps the email unique (lowercased); GDPR deletion of an
 * unknown email puts it on a blocklist that stops it from being created
 * later (vendor-facts.md 1.2). Values are stored as HubSpot stores them:
 * strings, with cleared properties absent.
 */
export interface StoredContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export class ContactStore {
  private readonly byId = new Map<string, StoredContact>();
  private readonly idsByEmail = new Map<string, string[]>();
  private readonly blocklist = new Set<string>();
  private nextId = 51;

  constructor(private readonly now: () => number) {}

  get(id: string): StoredContact | undefined {
    return this.byId.get(id);
  }

  findByEmail(email: string): StoredContact | undefined {
    const id = this.idsByEmail.get(normalizeEmail(email))?.[0];
    return id === undefined ? undefined : this.byId.get(id);
  }

  isBlocked(email: string): boolean {
    return this.blocklist.has(normalizeEmail(email));
  }

  block(email: string): void {
    this.blocklist.add(normalizeEmail(email));
  }

  create(properties: Record<string, string>): StoredContact {
    const at = new Date(this.now()).toISOString();
    const contact: StoredContact = { id: String(this.nextId), properties: {}, createdAt: at, updatedAt: at };
    this.nextId += 1;
    this.byId.set(contact.id, contact);
    this.write(contact, properties, 'replace');
    return contact;
  }

  /**
   * `replace` is the email-upsert rule: properties not sent are cleared.
   * `merge` is an update by id: only sent properties change. An empty
   * string clears a value in both.
   */
  write(contact: StoredContact, properties: Record<string, string>, mode: 'replace' | 'merge'): void {
    const before = contact.properties['email'];
    const next: Record<string, string> = mode === 'replace' ? (before === undefined ? {} : { email: before }) : { ...contact.properties };
    for (const [name, value] of Object.entries(properties)) {
      if (value === '') delete next[name];
      else next[name] = value;
    }
    contact.properties = next;
    contact.updatedAt = new Date(this.now()).toISOString();
    if (before !== next['email']) {
      if (before !== undefined) this.unindex(before, contact.id);
      if (next['email'] !== undefined) this.index(next['email'], contact.id);
    }
  }

  remove(id: string): StoredContact | undefined {
    const contact = this.byId.get(id);
    if (!contact) return undefined;
    this.byId.delete(id);
    const email = contact.properties['email'];
    if (email !== undefined) this.unindex(email, id);
    return contact;
  }

  all(): IterableIterator<StoredContact> {
    return this.byId.values();
  }

  /** Emails held by more than one live contact (HubSpot forbids it; the view reports it if it ever happens). */
  duplicateEmails(): string[] {
    return [...this.idsByEmail].filter(([, ids]) => ids.length > 1).map(([email]) => email);
  }

  private index(email: string, id: string): void {
    const key = normalizeEmail(email);
    this.idsByEmail.set(key, [...(this.idsByEmail.get(key) ?? []), id]);
  }

  private unindex(email: string, id: string): void {
    const key = normalizeEmail(email);
    const rest = (this.idsByEmail.get(key) ?? []).filter((existing) => existing !== id);
    if (rest.length > 0) this.idsByEmail.set(key, rest);
    else this.idsByEmail.delete(key);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
