/**
 * The reference the kernel is measured against: a bare binary min-heap on typed arrays with
 * (time, seq) keys and an int payload — no callbacks, no cancellation, no slots.
 */
export class BareHeap {
  private time = new Float64Array(1 << 16);
  private seq = new Float64Array(1 << 16);
  private id = new Int32Array(1 << 16);
  size = 0;
  private nextSeq = 0;
  topTime = 0;
  topId = 0;

  push(t: number, payload: number): void {
    if (this.size === this.time.length) this.grow();
    const s = this.nextSeq++;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.time[p] as number;
      if (pt < t || (pt === t && (this.seq[p] as number) < s)) break;
      this.time[i] = pt;
      this.seq[i] = this.seq[p] as number;
      this.id[i] = this.id[p] as number;
      i = p;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.id[i] = payload;
  }

  pop(): boolean {
    if (this.size === 0) return false;
    this.topTime = this.time[0] as number;
    this.topId = this.id[0] as number;
    const n = --this.size;
    const t = this.time[n] as number;
    const s = this.seq[n] as number;
    const v = this.id[n] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n) {
        const ct = this.time[c] as number;
        const rt = this.time[c + 1] as number;
        if (rt < ct || (rt === ct && (this.seq[c + 1] as number) < (this.seq[c] as number))) c++;
      }
      const ct = this.time[c] as number;
      if (t < ct || (t === ct && s < (this.seq[c] as number))) break;
      this.time[i] = ct;
      this.seq[i] = this.seq[c] as number;
      this.id[i] = this.id[c] as number;
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.id[i] = v;
    return true;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Float64Array(cap);
    t.set(this.time);
    const s = new Float64Array(cap);
    s.set(this.seq);
    const d = new Int32Array(cap);
    d.set(this.id);
    this.time = t;
    this.seq = s;
    this.id = d;
  }
}
