/* What `harmonize run` writes to stderr besides the data (log_json.c):
 * text, as it always did, or with --log-format json one JSON object per
 * line for log shippers (docs/logging.md lists the events); --quiet keeps
 * only the errors.  Every message of the core goes through here, so that
 * it also erases the progress line first (progress.h). */
#ifndef HZ_LOG_JSON_H
#define HZ_LOG_JSON_H
#include <stdbool.h>

#include "diag.h"
#include "pipeline.h"

typedef enum { HZ_LOG_FORMAT_TEXT, HZ_LOG_FORMAT_JSON } hz_log_format;

/* At the start of `run`: the format, --quiet, and --progress (1),
 * --no-progress (0) or neither (-1).  With json, whatever else writes a
 * line to stderr (the lock, the journal) becomes a JSON object too, until
 * hz_log_finish(). */
void hz_log_setup(hz_log_format format, bool quiet, int progress);
void hz_log_finish(void);
bool hz_log_json(void);
bool hz_log_quiet(void);

/* A run-time diagnostic (hz_diag_now); `component` may be NULL. */
void hz_log_diag_now(hz_diag_severity sev, const char *component, const char *message);
/* A configuration diagnostic being printed to stderr by hz_diag_print:
 * true when it was written here (as JSON) or left out (a warning under
 * --quiet), false when the caller prints it as text. */
bool hz_log_diag_entry(const hz_diag_entry *e);
/* A rejected row shown on stderr (no rejects: sink). */
void hz_log_reject(const char *component, const char *feed, unsigned long long line, const char *reason,
                   const char *detail);
/* hz->log() of a plugin. */
void hz_log_plugin(const char *component, hz_log_level level, const char *message);

/* The run's events: it starts (after the lock), a source is read to its
 * end, the run is over (the summary, or the sinks' published and
 * not_published events), and `run` exits with `status`. */
void hz_log_run_start(const hz_pipeline *p);
void hz_log_source_done(const hz_component *c, double seconds);
void hz_log_run_report(hz_pipeline *p, double seconds, int status);
void hz_log_run_end(const hz_pipeline *p, const char *file, double seconds, int status);
#endif
