/* report.h - the report sink's state, shared by the sink (report_sink.c)
 * and the page it renders (render.c). */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonize/plugin.h>
#include <support/hzs_buf.h>
#include <support/hzs_publish.h>

#include "layout.h"
#include "rows.h"

typedef struct report_input {
    const char *name; /* hz->input_name */
    row_store rows;   /* the rows its sections show */
    long suppressed;  /* slot of the `suppressed` yes/no column, or -1 */
    bool planned;     /* plan_input() saw its schema */
} report_input;

typedef struct report {
    hz_component *c;
    layout layout;
    size_t ninputs;
    report_input *inputs;
    uint64_t max_rows;  /* per input */
    const char *marker; /* the aggregate's suppress_marker */
    const char *suppressed_column;
    const char *title, *subtitle, *lang;
    bool sources; /* list the run's feeds */
    hzs_publish out;
    bool any_suppressed; /* the page shows a suppressed cell: print the note */
    bool any_partial;    /* a matrix total leaves suppressed cells out */
    bool any_missing;    /* a matrix has a combination with no row */
} report;

/* The whole page into `page`.  0, or -1 after reporting a run-time error
 * (a figure with no row, a value that is no number). */
int render_page(report *r, hzs_buf *page);
#endif
