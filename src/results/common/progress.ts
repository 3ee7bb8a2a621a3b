/**
 * Progress of a results pipeline on stderr: `[  42s] step 7/57: what` lines, one per step, so a
 * long regeneration shows where it is and how far it has to go (and a resumed one, how much it
 * could skip).
 */
export class Progress {
  private readonly start = Date.now();
  private step = 0;

  constructor(
    private total: number,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  elapsedS(): number {
    return Math.round((Date.now() - this.start) / 1000);
  }

  /** A message without a step. */
  say(text: string): void {
    this.out.write(`[${String(this.elapsedS()).padStart(4)}s] ${text}\n`);
  }

  /** The next step; the total grows when a step turns out to need more (a candidate that failed its verification). */
  next(text: string): void {
    this.step++;
    if (this.step > this.total) this.total = this.step;
    this.say(`step ${this.step}/${this.total}: ${text}`);
  }

  addSteps(n: number): void {
    this.total += n;
  }
}
