/* One run at a time: an exclusive lock on a pipeline's state folder, held
 * from before its plugins are planned until the process ends. */
#ifndef HZ_LOCK_H
#define HZ_LOCK_H
#include <sys/types.h>

/* The status a run exits with when another run holds the lock
 * (EX_TEMPFAIL of <sysexits.h>: try again later). */
#define HZ_EXIT_LOCKED 75

/* Take the lock file `dir`/lock (creating `dir` and its parents), waiting
 * up to `wait_seconds` (0: not at all) for another run to let go.  Returns
 * the open descriptor that holds it, -1 after printing why not: another
 * run holds it (*locked set, the message names its pid and start time) or
 * the folder cannot be made (*locked clear).  A new lock file gets
 * `mode`, exactly. */
int hz_lock_take(const char *dir, const char *pipeline, double wait_seconds, mode_t mode, int *locked);
#endif
