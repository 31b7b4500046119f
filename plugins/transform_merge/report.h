/* The duplicates report: a CSV side output of the merge transform,
 * written to a temporary file beside its target and renamed into place
 * only when the whole run succeeded (the publish rules of a sink). */
#ifndef HZ_MERGE_REPORT_H
#define HZ_MERGE_REPORT_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

typedef struct report {
    const hz_host *host;
    hz_component *c;
    const char *path; /* the target; NULL: no report */
    char *tmp_path;
    int fd;
    char *buf;
    size_t len;
    bool row_started;
} report;

void report_init(report *r, const hz_host *host, hz_component *c, const char *path);
/* Create missing folders and the temporary file. */
int report_open(report *r);
/* Append one field to the current row (minimal quoting, as the csv sink). */
int report_field(report *r, const char *p, size_t n);
int report_end_row(report *r);
/* Flush, fsync, rename over the target. */
int report_commit(report *r);
/* Remove the temporary file; safe to call at any time, twice. */
void report_abort(report *r);
#endif
