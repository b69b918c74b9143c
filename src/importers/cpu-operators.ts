// CPU operators of a trace taken without a GPU: `aten::linear` calls `aten::t` and `aten::addmm`,
// and each event lasts as long as everything it calls. Summing them would count the matmul twice,
// so each operator is credited with its own time only: its duration less the durations of the
// operators it calls directly on the same thread. Held compactly (numbers in arrays, names by
// index), since a CPU trace can hold millions of operators.

const MICROSECONDS_PER_SECOND = 1e6;

export class CpuOperators {
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** Per thread: start (µs), duration (µs) and name index of every operator. */
  private readonly threads = new Map<string, { starts: number[]; durations: number[]; names: number[] }>();
  count = 0;
  /** Operators of no measurable length (below the trace's resolution). */
  zeroLength = 0;

  add(thread: string, name: string, startMicroseconds: number, durationMicroseconds: number): void {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    let events = this.threads.get(thread);
    if (!events) {
      events = { starts: [], durations: [], names: [] };
      this.threads.set(thread, events);
    }
    events.starts.push(startMicroseconds);
    events.durations.push(durationMicroseconds);
    events.names.push(id);
    this.count += 1;
    if (durationMicroseconds === 0) this.zeroLength += 1;
  }

  get threadCount(): number {
    return this.threads.size;
  }

  /** Every operator with its own time, in seconds (never below zero: durations are rounded). */
  *selfTimes(): Generator<{ name: string; seconds: number }> {
    for (const { starts, durations, names } of this.threads.values()) {
      // Callers before callees: by start, the longer first when two start together.
      const order = starts.map((_, i) => i).sort((a, b) => starts[a]! - starts[b]! || durations[b]! - durations[a]! || a - b);
      const own = durations.slice();
      const open: number[] = [];
      for (const i of order) {
        while (open.length > 0 && starts[i]! >= starts[open.at(-1)!]! + durations[open.at(-1)!]!) open.pop();
        if (open.length > 0) own[open.at(-1)!]! -= durations[i]!;
        open.push(i);
      }
      for (let i = 0; i < own.length; i++) yield { name: this.names[names[i]!]!, seconds: Math.max(0, own[i]!) / MICROSECONDS_PER_SECOND };
    }
  }
}
