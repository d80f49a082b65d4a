/** Where one database stands in a run over many, for progress displays ("12/200 done, 1 failed"). */
export interface DatabaseProgress {
  /** 0-based position of this database in the run's list (the order of the final report). */
  readonly databaseIndex: number
  /** Databases finished so far, this one included (they finish out of order when run concurrently). */
  readonly done: number
  /** How many databases the run covers. */
  readonly total: number
  /** Databases that failed so far, this one included. */
  readonly failed: number
}

export interface ProgressCounter {
  /** Counts a finished database and says where the run stands. */
  finish(databaseIndex: number, failed: boolean): DatabaseProgress
}

export function progressCounter(total: number): ProgressCounter {
  let done = 0
  let failed = 0
  return {
    finish(databaseIndex, didFail) {
      done++
      if (didFail) failed++
      return { databaseIndex, done, total, failed }
    },
  }
}
