/** Why an entry left the spool for the quarantine folder. */
export type QuarantineReason =
  /** Its replay failed 10 times while the database answered. */
  | "failing"
  /** Its route refused it (4xx): it can never be applied as it stands. */
  | "refused"
  /** The file is not a spooled request (damaged, or put there by hand). */
  | "unreadable";

/** Why a callback that could not be processed was not spooled either (it was answered 503). */
export type SpoolRefusal = "full" | "unwritable";

/** Told what the spool does, for metrics. */
export interface SpoolObserver {
  spooled(): void;
  refused(reason: SpoolRefusal): void;
  replayed(): void;
  quarantined(reason: QuarantineReason): void;
}
