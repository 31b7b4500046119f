/* The manifest: what a run read, wrote and with which versions, as JSON
 * (jansson).  Published beside the outputs, with them, and kept with the
 * run's record in the state folder (run_record.h), where --if-changed,
 * max_change and `harmonize history` read it back.
 *
 * Its members: harmonize (version, plugin ABI), run_id, pipeline (name,
 * path, sha256), configuration (the pipeline after ${...} substitution,
 * secrets redacted), plugins (name, version, abi, file, sha256),
 * country_table, inputs (source, path, size, sha256, records, rejected,
 * absorbed by label: duplicates),
 * outputs (component, plugin, path and/or table, rows, size, sha256,
 * committed), components (rows in, out, rejected, absorbed), rejects (total,
 * by_reason), started, ended, duration_seconds, status, exit_status. */
#ifndef HZ_MANIFEST_H
#define HZ_MANIFEST_H
#include <jansson.h>
#include <stdbool.h>

#include "pipeline.h"
#include "util.h"

/* Everything known before the run's end.  With `hash_outputs`, the
 * outputs' sizes and SHA-256 are those of their staged (complete, not yet
 * committed) files. */
json_t *hz_manifest_build(hz_pipeline *p, bool hash_outputs);

/* The end of the run: its status, end time, duration, and for each
 * output whether it was committed. */
void hz_manifest_finish(json_t *m, hz_pipeline *p, int exit_status, double seconds);

/* Write `m` to `path` whole or not at all (a new temporary file of
 * `mode`, never through a link; fsync, rename).  0, or -1 with errno. */
int hz_manifest_write(const json_t *m, const char *path, mode_t mode);

/* Write `m` to the open descriptor `fd` (a staged file) and fsync it.  0,
 * or -1 with errno set. */
int hz_manifest_write_fd(const json_t *m, int fd);

/* The run ids recorded in STATE/runs, oldest first (ids sort by start
 * time); release with hz_run_ids_free. */
char **hz_run_ids(const char *state_dir, size_t *n);
void hz_run_ids_free(char **ids, size_t n);
/* STATE/runs/RUN_ID/manifest.json, or NULL. */
json_t *hz_manifest_load(const char *state_dir, const char *run_id);

/* The manifest of the last run of the state folder that published, or
 * NULL. */
json_t *hz_manifest_last_success(const char *state_dir);

/* Whether a run now would read and write what the `last` one did: the
 * same pipeline and configuration, plugins, inputs (SHA-256), and outputs
 * still as it published them.  When not, `why` says what differs. */
bool hz_manifest_unchanged(hz_pipeline *p, const json_t *last, hz_strbuf *why);

/* The rows the source `name` read in the manifest `m`, or -1. */
int64_t hz_manifest_source_rows(const json_t *m, const char *name);
#endif
