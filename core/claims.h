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

/* The claims, for the manifest: how many, and the i-th one's canonical
 * file (NULL for a database that is no file), table and component. */
size_t hz_claims_count(const hz_pipeline *p);
const char *hz_claim_get(const hz_pipeline *p, size_t i, const char **table, hz_component **c);
/* `path` spelled as claims are (links and "..", "." resolved). */
char *hz_claims_canonical(const char *path);
/* A file the core itself writes (`what`, e.g. "the manifest") must be
 * nobody's output and no feed: a configuration error at `at` otherwise.
 * 0 or -1. */
int hz_claims_check_extra(hz_pipeline *p, const char *path, const char *what, const hz_value *at);
#endif
