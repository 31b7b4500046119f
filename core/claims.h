/* Outputs claimed by the sinks of a pipeline, so that validate refuses,
 * before anything is read, two sinks on one file or one table, a sink that
 * would write over a feed a source reads, and a path whose folder is a
 * file.  Sinks claim in plan() through hz->claim_output. */
#ifndef HZ_CLAIMS_H
#define HZ_CLAIMS_H
#include "pipeline.h"

/* Record c's output (a file `path`, or a `table` in it, or a table of a
 * database that is no file when path is NULL); a conflict is a
 * configuration error at `at`.  Returns 0 or -1. */
int hz_claim_output(hz_component *c, const char *path, const char *table, const hz_value *at);
/* Once every component is planned: no claimed file is a feed. */
void hz_claims_check_feeds(hz_pipeline *p);
void hz_claims_free(hz_pipeline *p);
#endif
