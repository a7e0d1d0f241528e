/**
 * Read ids in one growing byte buffer, found again through an open-addressing hash table of
 * read numbers. A string and a Map entry per read cost about 150 bytes and a heap object the
 * garbage collector must trace; here an id costs its bytes plus about 20, and there is no object
 * per read at all, which is what keeps `evaluate` on a million reads in bounded memory.
 */
export class IdStore {
  private bytes: Buffer = Buffer.alloc(1 << 20);
  private used = 0;
  /** Byte offset of read i's id at [i], its end at [i + 1]. */
  private offsets = new Float64Array(1025);
  /** Read number + 1 per slot (0: empty); at most half full. */
  private slots = new Int32Array(2048);
  size = 0;

  /** Stores the next read's id; returns the number of an earlier read with the same id, if any. */
  add(id: string): number | undefined {
    const earlier = this.find(id);
    const length = Buffer.byteLength(id);
    while (this.used + length > this.bytes.length) this.bytes = grown(this.bytes);
    this.bytes.write(id, this.used, "utf8");
    this.used += length;
    if (this.size + 2 > this.offsets.length) {
      const offsets = new Float64Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.size += 1;
    this.offsets[this.size] = this.used;
    if (earlier === undefined) {
      if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
      this.insert(this.size - 1, hash(id));
    }
    return earlier;
  }

  /** The number of the (first) read with this id. */
  find(id: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hash(id) & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const i = this.slots[slot] - 1;
      if (this.offsets[i + 1] - this.offsets[i] === Buffer.byteLength(id) && this.get(i) === id) return i;
    }
    return undefined;
  }

  get(i: number): string {
    return this.bytes.toString("utf8", this.offsets[i], this.offsets[i + 1]);
  }

  private insert(i: number, h: number): void {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = i + 1;
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size);
    for (const entry of old) if (entry !== 0) this.insert(entry - 1, hash(this.get(entry - 1)));
  }
}

function grown(buffer: Buffer): Buffer {
  const bigger = Buffer.alloc(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}

/** FNV-1a over the UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
