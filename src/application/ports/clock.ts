/** The current time. Comes through a port so that tests can fix it. */
export interface Clock {
  now(): Date;
}
