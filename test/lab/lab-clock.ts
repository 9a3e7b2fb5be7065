/** Where the lab's sites read the time: the wall clock, or a test's manual clock. */
export interface LabClock {
  now(): number;
}
