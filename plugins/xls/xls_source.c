/* The xls source: one sheet of a legacy Excel (.xls, BIFF) workbook read
 * through FreeXL, its header row naming the columns, every later row a
 * row.  The options, the header's rules and the messages are the xlsx
 * source's (lib/support/hzs_sheet, hzs_cells); what differs is what FreeXL
 * can tell (see README.md: no formulas' values, no merged ranges,
 * booleans as 1 and 0).
 *
 * plan() opens the workbook (FreeXL reads it whole, within
 * max_file_bytes: xls_book.c) and reads the header; the run reads the
 * cells FreeXL holds, row by row.  The workbook stays open from plan to
 * run: what was planned is what is read. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <support/hzs_buf.h>
#include <support/hzs_cells.h>
#include <support/hzs_input.h>
#include <support/hzs_record.h>
#include <support/hzs_sheet.h>

#include "xls_book.h"
#include "xls_plugin.h"

typedef struct xls_source {
    hz_component *c;
    hzs_input in; /* only its path and how messages show it */
    xls_book book;
    uint64_t max_field_bytes;
    char *feed_name; /* file.xls[Sheet1] */
    uint32_t feed;

    hzs_sheet_area area; /* range, header_row */
    hzs_sheet_header head;
    uint32_t last_col; /* the last column read: 1-based, within the sheet's */

    uint32_t row; /* the next sheet row to read, 1-based */
    bool finished;
    hzs_record rec;
    hzs_sheet_empties empties;
} xls_source;

static const hz_option source_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the .xls workbook to read (a regular file: FreeXL reads it whole, out of order)", NULL},
    HZS_SHEET_OPTIONS,
    {"dates", HZ_OPT_LIST, NULL, false,
     "columns whose numbers are Excel date serials, written as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS); cells "
     "FreeXL reports as dates are converted anyway",
     NULL},
    {"max_field_bytes", HZ_OPT_INT, "16777216", false, "a longer cell fails the run", NULL},
    {"max_file_bytes", HZ_OPT_INT, "268435456", false,
     "FreeXL reads the whole workbook into memory: a larger file is refused before it is opened", NULL},
    {"max_cells", HZ_OPT_INT, "16777216", false,
     "FreeXL allocates 16 bytes for every cell the sheets declare when it opens the workbook: a workbook "
     "declaring more (all sheets together) is refused before it is opened",
     NULL},
    {0},
};

static int source_create(hz_component *c, void **self) {
    xls_source *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    hzs_input_init_path(&s->in, c);
    s->book.c = c;
    s->book.path = s->in.path;
    s->book.shown = s->in.shown;
    int rc = 0;
    if (hzs_option_positive(c, "max_field_bytes", "bytes", &s->max_field_bytes) != 0) rc = -1;
    if (hzs_option_positive(c, "max_file_bytes", "bytes", &s->book.max_file_bytes) != 0) rc = -1;
    if (hzs_option_positive(c, "max_cells", "cells", &s->book.max_cells) != 0) rc = -1;
    if (hzs_sheet_area_init(&s->area, c) != 0) rc = -1;
    return rc;
}

/* ------------------------------------------------------------------ */
/* A cell's text.                                                      */

/* Append the text of cell (row, col) (1-based) to `out`.  0; 1 with the
 * reason and the detail in `why` for a reject (a date that never was);
 * -1 after reporting a run failure (a cell over max_field_bytes, one
 * FreeXL could not give). */
static int cell_text(xls_source *s, uint32_t row, uint32_t col, bool date, hzs_buf *out, const char **reason,
                     hzs_buf *why) {
    xls_cell cell;
    if (xls_book_cell(&s->book, row - 1, col - 1, &cell, s->feed_name) != 0) return -1;
    char buf[32], ref[4];
    hzs_cell_col_name(col, ref);
    const char *text = NULL, *problem = NULL;
    switch (cell.kind) {
    case XLS_EMPTY: return 0;
    case XLS_TEXT: {
        size_t n = strlen(cell.text);
        if (n > s->max_field_bytes) {
            hz->error(s->c, "%s:%u: cell %s%u is over max_field_bytes (%llu)", s->feed_name, row, ref, row,
                      (unsigned long long)s->max_field_bytes);
            return -1;
        }
        hzs_buf_add(out, cell.text, n);
        return 0;
    }
    case XLS_TIME: text = hzs_cell_serial_time_of(cell.number, buf); break;
    case XLS_DATE: text = hzs_cell_serial_date_of(cell.number, s->book.date1904, buf, &problem); break;
    case XLS_NUMBER:
        text = date ? hzs_cell_serial_date_of(cell.number, s->book.date1904, buf, &problem)
                    : hzs_cell_double_text(cell.number, buf);
        break;
    }
    if (text) {
        hzs_buf_adds(out, text);
        return 0;
    }
    /* the record shows the serial */
    const char *serial = hzs_cell_double_text(cell.number, buf);
    hzs_buf_adds(out, serial ? serial : "");
    *reason = "invalid_date";
    hzs_buf_printf(why, "cell %s%u: %s %s", ref, row, serial ? serial : "", problem ? problem : "is no date");
    return 1;
}

/* ------------------------------------------------------------------ */
/* plan: the header.                                                   */

/* The last row (1-based) up to `upto` with a cell holding a value, or 0. */
static int last_row_with_data(xls_source *s, uint32_t upto, uint32_t *last) {
    *last = 0;
    for (uint32_t row = upto; row >= 1 && !*last; row--)
        for (uint32_t col = 1; col <= s->book.cols && col <= HZS_CELL_MAX_COL; col++) {
            xls_cell cell;
            if (xls_book_cell(&s->book, row - 1, col - 1, &cell, s->feed_name) != 0) return -1;
            if (cell.kind != XLS_EMPTY) {
                *last = row;
                break;
            }
        }
    return 0;
}

static int read_header(xls_source *s) {
    uint32_t hr = s->area.header_row;
    const hz_value *at = hz->option(s->c, "header_row");
    if (!at) at = hz->option(s->c, "path");
    if (hr > s->book.rows) {
        uint32_t last = 0;
        if (last_row_with_data(s, s->book.rows, &last) != 0) return -1;
        hz->config_error(s->c, at, "'header_row' %u is beyond the data of %s (its last row is %u)", hr,
                         s->feed_name, last);
        return -1;
    }
    uint32_t width = hzs_sheet_width(&s->area);
    char **texts = hz->xcalloc(width, sizeof *texts);
    uint32_t last = 0;
    int rc = 0;
    for (uint32_t col = s->area.col1; rc == 0 && col <= s->last_col; col++) {
        hzs_buf t = {0}, why = {0};
        const char *reason = NULL;
        int got = cell_text(s, hr, col, false, &t, &reason, &why);
        if (got > 0)
            hz->config_error(s->c, hz->option(s->c, "path"), "the header of %s: %s", s->feed_name,
                             hzs_buf_str(&why));
        if (got != 0) rc = -1;
        texts[col - s->area.col1] = hzs_buf_take(&t);
        if (texts[col - s->area.col1] && texts[col - s->area.col1][0]) last = col;
        hzs_buf_free(&why);
    }
    if (rc == 0 && last == 0) {
        hz->config_error(s->c, at, "row %u of %s is empty: 'header_row' must hold the column names", hr,
                         s->feed_name);
        rc = -1;
    }
    /* FreeXL does not report merged ranges: no merge lookup */
    if (rc == 0)
        rc = hzs_sheet_header_build(&s->head, s->c, &s->area, s->feed_name, texts, last, NULL, NULL,
                                    "or narrow 'range'; FreeXL does not report a .xls file's merged cells");
    for (uint32_t j = 0; j < width; j++) free(texts[j]);
    free(texts);
    return rc;
}

static int source_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    xls_source *s = self;
    struct stat st;
    if (!strcmp(s->in.path, HZS_INPUT_STDIN) || (stat(s->in.path, &st) == 0 && !S_ISREG(st.st_mode))) {
        hz->config_error(
            c, hz->option(c, "path"),
            "%s is not a regular file: FreeXL reads a .xls workbook whole and out of order, so it "
            "cannot come from a pipe",
            s->in.shown);
        return -1;
    }
    if (xls_book_open(&s->book) != 0) return -1;
    size_t index = 0;
    if (hzs_sheet_pick(c, s->in.shown, (const char *const *)s->book.sheet_names, s->book.nsheets, &index) !=
        0)
        return -1;
    if (xls_book_select(&s->book, index) != 0) return -1;
    hzs_buf name = {0};
    hzs_buf_printf(&name, "%s[%s]", s->in.path, s->book.sheet_names[index]);
    s->feed = hz->feed(c, hzs_buf_str(&name));
    hzs_buf_clear(&name);
    hzs_buf_printf(&name, "%s[%s]", s->in.shown, s->book.sheet_names[index]);
    s->feed_name = hzs_buf_take(&name);
    /* columns past the sheet's have no cells; Excel names no column past
     * XFD */
    uint32_t last_col = s->book.cols;
    if (last_col > HZS_CELL_MAX_COL) last_col = HZS_CELL_MAX_COL;
    if (s->area.has_range && last_col > s->area.col2) last_col = s->area.col2;
    s->last_col = last_col;
    if (read_header(s) != 0) return -1;
    const hz_value *at = hz->option(c, "path");
    int rc = 0;
    for (size_t j = 0; j < s->head.ncols; j++)
        if (hz->schema_add(c, out, s->head.names[j], at) != 0) rc = -1;
    hzs_record_init(&s->rec, s->head.ncols);
    s->row = s->area.header_row + 1;
    return rc;
}

/* ------------------------------------------------------------------ */
/* The run.                                                            */

/* One sheet row: a row of the batch, a reject, or an empty row.  0, or
 * -1 after reporting a run failure. */
static int take_row(xls_source *s, uint32_t row, hz_batch *out) {
    hzs_record_clear(&s->rec);
    hzs_buf why = {0};
    const char *reason = NULL;
    bool any = false;
    int rc = 0;
    /* every cell goes into the record, a reject shows them all; the first
     * bad cell is the one its detail names */
    for (uint32_t col = s->area.col1; rc == 0 && col <= s->last_col; col++) {
        size_t j = col - s->area.col1;
        const char *bad = NULL;
        hzs_buf w = {0};
        int got;
        if (j >= s->head.ncols) {
            /* past the last named column: only an empty cell is no loss */
            hzs_buf t = {0};
            got = cell_text(s, row, col, false, &t, &bad, &w);
            if (got >= 0 && (got > 0 || t.len)) {
                char ref[4];
                hzs_cell_col_name(col, ref);
                bad = "malformed_row";
                hzs_buf_clear(&w);
                hzs_buf_printf(&w, "cell %s%u has a value but its column has no name in header row %u", ref,
                               row, s->area.header_row);
            }
            hzs_buf_free(&t);
        } else {
            hzs_record_begin(&s->rec, j);
            got = cell_text(s, row, col, s->head.forced_date[j], &s->rec.text, &bad, &w);
            hzs_record_end(&s->rec, j);
            if (s->rec.len[j]) any = true;
        }
        if (got < 0) rc = -1;
        if (bad && !reason) {
            reason = bad;
            hzs_buf_adds(&why, hzs_buf_str(&w));
        }
        hzs_buf_free(&w);
    }
    if (rc != 0) {
        /* reported */
    } else if (reason) {
        hzs_sheet_empties_data(&s->empties);
        hz->reject_fields(s->c, (hz_origin){row, s->feed, 0}, hzs_record_fields(&s->rec), s->head.ncols,
                          reason, "%s", hzs_buf_str(&why));
    } else if (!any) {
        s->empties.pending++;
    } else {
        hzs_sheet_empties_data(&s->empties);
        hzs_record_emit(&s->rec, out, (hz_origin){row, s->feed, 0});
    }
    hzs_buf_free(&why);
    return rc;
}

static int source_read(hz_component *c, void *self, hz_batch *out) {
    (void)c;
    xls_source *s = self;
    if (s->finished) return 0;
    uint32_t last_row = s->book.rows;
    if (s->area.has_range && s->area.row2 && s->area.row2 < last_row) last_row = s->area.row2;
    while (out->nrows < out->capacity) {
        if (s->row > last_row) {
            s->finished = true;
            /* empty rows after the last row with data are the sheet's
             * end, not skipped rows */
            hzs_sheet_empties_note(&s->empties, s->c, s->feed_name);
            return 0;
        }
        if (take_row(s, s->row++, out) != 0) return -1;
    }
    return 1;
}

static void source_destroy(void *self) {
    xls_source *s = self;
    xls_book_close(&s->book);
    hzs_sheet_header_free(&s->head);
    free(s->feed_name);
    hzs_record_free(&s->rec);
    hzs_input_free(&s->in);
    free(s);
}

const hz_source_class xls_source_class = {
    HZ_CLASS_INIT(hz_source_class),
    .doc =
        "one sheet of a legacy Excel .xls workbook, read through FreeXL: the header row names the columns, "
        "each later row with data is a row",
    HZ_OPTIONS(source_options),
    .create = source_create,
    .plan = source_plan,
    .read = source_read,
    .destroy = source_destroy,
};
