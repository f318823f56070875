import type { Clock } from "../../application/ports/clock.ts";

/** A clock that only moves when told to: for tests and demos. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date = new Date("2026-01-01T09:00:00.000Z")) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }

  set(at: Date): void {
    this.current = new Date(at);
  }
}
