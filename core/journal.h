/* The intent journal: how a run's outputs appear all together or not at
 * all, even when the process is killed (kill -9, a power cut after the
 * fsyncs) in the middle of publishing them.
 *
 * A run's journal, STATE/journal, is written in three steps:
 *   1. while the sinks open: one `stage` line per file a sink builds under
 *      a temporary name (hz->stage_file), fsynced before the file exists;
 *   2. once every output is prepared (complete and durable): a `prepared`
 *      line, fsynced: from here on the run is committed;
 *   3. once every sink committed (renamed its file into place): the journal
 *      is removed.
 *
 * The next run on the pipeline, holding its lock, reads what is left:
 *   - no `prepared` line: the run died before its commit point; its staged
 *     files are removed and the previous outputs stand as they were;
 *   - a `prepared` line: the run died while committing; every staged file
 *     still there is complete, and is renamed into place (roll forward).
 * Either way the set of files is, as a whole, the previous run's or the
 * interrupted run's, and no temporary file is left behind.
 *
 * What the journal cannot make atomic: a database server's transaction
 * (PostgreSQL) commits on its own, before or after the renames; a sink
 * that writes in place (a SQLite file in WAL mode, or one holding tables
 * this run does not write) commits its own transaction.  The manifest
 * records which outputs were committed. */
#ifndef HZ_JOURNAL_H
#define HZ_JOURNAL_H
#include <stdbool.h>
#include <sys/types.h>

#include "pipeline.h"

typedef struct hz_journal hz_journal;

/* Finish or discard what a killed run left in `state_dir` (see above),
 * saying on stderr what was done.  Called with the lock held.  0, or -1
 * after printing why the journal could not be acted on (then the run must
 * not start: it would stage over files it does not know). */
int hz_journal_recover(const char *state_dir);

/* Start the run's journal in `state_dir` (which exists: the lock is in
 * it), a new file of `mode`.  NULL after printing why. */
hz_journal *hz_journal_begin(const char *state_dir, const char *run_id, mode_t mode);

/* The journal's file (STATE/journal). */
const char *hz_journal_path(const hz_journal *j);

/* hz->stage_file: a temporary name for `target`, recorded (and fsynced) in
 * the journal before it is returned.  A symbolic link at `target` is
 * refused (output_links.h); the process umask is set for the file's mode
 * (file_mode.h), which is recorded with it.  Without a journal (a run outside
 * `harmonize run`, e.g. a unit test) the name is made all the same.  NULL
 * after reporting. */
const char *hz_journal_stage(hz_pipeline *p, hz_component *c, const char *target);

/* Every output is prepared: write and fsync the commit point.  0, or -1
 * after reporting (then the run fails and nothing is published). */
int hz_journal_commit_point(hz_journal *j, hz_pipeline *p);

/* The run is over: remove every staged file still there when the run
 * failed before its commit point (sinks remove their own; this catches any
 * they left), then the journal itself.  Frees j. */
void hz_journal_end(hz_journal *j, hz_pipeline *p);
#endif
