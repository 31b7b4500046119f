/* A run's record in its pipeline's state folder, STATE/runs/RUN_ID/:
 *   manifest.json  always (manifest.h), with the run's outcome;
 *   summary.txt    the run summary, as printed on stderr;
 *   rejects.csv    every rejected row, kept when the run failed (its
 *                  rejects sinks published nothing) or had no rejects sink.
 * The last `keep_runs` records are kept.  A failed run's message points to
 * its record: the team sees which rows failed without rerunning by hand.
 *
 * The published manifest.json goes beside the outputs, staged through the
 * journal like them and renamed with them (last of all). */
#ifndef HZ_RUN_RECORD_H
#define HZ_RUN_RECORD_H
#include <stddef.h>

#include "pipeline.h"

/* Make the run's folder and open its rejects log; read the last
 * successful run's manifest (for max_change).  0, or -1 after printing
 * why. */
int hz_run_record_begin(hz_pipeline *p);

/* Count a rejected row under its reason (for the manifest). */
void hz_count_reason(hz_pipeline *p, const char *reason);

/* Log a rejected row: its component, feed, line, reason, and its detail
 * and record already made printable (the record as one CSV line). */
void hz_run_record_reject(hz_pipeline *p, const char *component, const char *feed, uint64_t line,
                          const char *reason, const char *detail, const char *record);

/* Every output is prepared: build the manifest from their staged files and
 * stage it beside them.  0, or -1 after reporting (the run fails). */
int hz_run_record_stage_manifest(hz_pipeline *p);

/* Every output is committed: publish the manifest, last. */
void hz_run_record_publish_manifest(hz_pipeline *p);

/* The run is over: write its summary and final manifest into its folder,
 * keep or drop its rejects log, remove the records beyond keep_runs, and on
 * failure say on stderr where the record is. */
void hz_run_record_end(hz_pipeline *p, int status, double seconds);

/* The manifest path a pipeline publishes (its `manifest:`, else
 * manifest.json beside its first output file), or NULL for none.  Checked
 * against the outputs and feeds: a configuration error in diag.  Call once
 * the pipeline is planned. */
void hz_run_record_plan(hz_pipeline *p);
#endif
