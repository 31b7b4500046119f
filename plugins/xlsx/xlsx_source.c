/* The xlsx source: one sheet of a workbook, its header row naming the
 * columns, every later row a row.
 *
 * plan() reads the workbook's small parts (xlsx_book.c) and the sheet up
 * to its header row (and, only when the header has empty cells, on to its
 * <mergeCells> at the end); the run reads the shared strings, then streams
 * the sheet again row by row (xlsx_rows.c).  Memory: the shared strings
 * (capped by max_shared_strings_bytes) and one row. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <support/hzs_buf.h>
#include <support/hzs_cells.h>
#include <support/hzs_input.h>
#include <support/hzs_sheet.h>
#include <support/hzs_record.h>
#include <support/hzs_watch.h>

#include "xlsx_book.h"
#include "xlsx_plugin.h"
#include "xlsx_rows.h"

typedef struct xlsx_source {
    hz_component *c;
    hzs_input in; /* only its path and how messages show it */
    xlsx_book book;
    const xlsx_sheet *sheet;
    char *feed_name; /* file.xlsx[Sheet1] */
    uint32_t feed;
    hzs_watch watch;   /* the workbook, while the run reads it */
    hzs_watch planned; /* the workbook plan() read the header of */

    hzs_sheet_area area; /* range, header_row */
    hzs_sheet_header head;

    bool started, finished;
    xlsx_rows rows;
    hzs_record rec;
    hzs_sheet_empties empties;
} xlsx_source;

static const hz_option source_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the .xlsx workbook to read (a regular file: a zip is read out of order)", NULL},
    HZS_SHEET_OPTIONS,
    {"dates", HZ_OPT_LIST, NULL, false,
     "columns whose numbers are Excel date serials, written as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS); cells "
     "with a date number format are converted anyway",
     NULL},
    {"max_field_bytes", HZ_OPT_INT, "16777216", false, "a longer cell or shared string fails the run", NULL},
    {"max_shared_strings_bytes", HZ_OPT_INT, "268435456", false,
     "the shared strings table is held in memory: over this (text plus 8 bytes a string) fails the run",
     NULL},
    {"max_unzipped_bytes", HZ_OPT_INT, "4294967296", false,
     "a member of the zip unzipping to more fails the run (a zip bomb)", NULL},
    {0},
};

static int source_create(hz_component *c, void **self) {
    xlsx_source *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    hzs_input_init_path(&s->in, c);
    s->book.c = c;
    s->book.path = s->in.path;
    s->book.shown = s->in.shown;
    s->book.fd = -1;
    LIBXML_TEST_VERSION;
    int rc = 0;
    if (hzs_option_positive(c, "max_field_bytes", "bytes", &s->book.max_field_bytes) != 0) rc = -1;
    if (hzs_option_positive(c, "max_shared_strings_bytes", "bytes", &s->book.max_strings_bytes) != 0) rc = -1;
    if (hzs_option_positive(c, "max_unzipped_bytes", "bytes", &s->book.max_unzipped) != 0) rc = -1;
    if (hzs_sheet_area_init(&s->area, c) != 0) rc = -1;
    return rc;
}

/* The sheet option: a name first, else a position from 1. */
static int pick_sheet(xlsx_source *s) {
    const char **names = hz->xcalloc(s->book.nsheets, sizeof *names);
    for (size_t i = 0; i < s->book.nsheets; i++) names[i] = s->book.sheets[i].name;
    size_t i = 0;
    int rc = hzs_sheet_pick(s->c, s->in.shown, names, s->book.nsheets, &i);
    free(names);
    if (rc == 0) s->sheet = &s->book.sheets[i];
    return rc;
}

/* ------------------------------------------------------------------ */
/* A cell's text.                                                      */

typedef enum { CELL_OK, CELL_REJECT } cell_result;

/* Append cell `c`'s text to `out`.  CELL_REJECT with the reason and the
 * detail in `why` (a reject: an error value, a date that never was). */
static cell_result cell_text(xlsx_source *s, const xlsx_rows *r, const xlsx_cell *c, bool date, hzs_buf *out,
                             const char **reason, hzs_buf *why) {
    const char *v = r->text.data ? r->text.data + c->at : "";
    char value[64], buf[32], ref[4];
    size_t n = c->len < sizeof value ? c->len : sizeof value - 1;
    memcpy(value, v, n);
    value[n] = '\0';
    hzs_cell_col_name(c->col, ref);
    switch (c->type) {
    case XLSX_SHARED: {
        size_t len = 0;
        char *end;
        unsigned long i = strtoul(value, &end, 10);
        const char *str = *value && !*end ? xlsx_book_string(&s->book, i, &len) : NULL;
        if (!str) {
            *reason = "malformed_row";
            hzs_buf_printf(why, "cell %s%u refers to shared string '%s', which the workbook does not have",
                           ref, r->row, value);
            return CELL_REJECT;
        }
        hzs_buf_add(out, str, len);
        return CELL_OK;
    }
    case XLSX_INLINE:
    case XLSX_STRING:
    case XLSX_ISO_DATE: hzs_buf_add(out, v, c->len); return CELL_OK;
    case XLSX_BOOL:
        hzs_buf_adds(out, !strcmp(value, "1") || !strcmp(value, "true") ? "true" : "false");
        return CELL_OK;
    case XLSX_ERROR:
        hzs_buf_add(out, v, c->len); /* the record shows it as Excel does */
        *reason = "invalid_value";
        hzs_buf_printf(why, "cell %s%u holds the error %s", ref, r->row, value);
        return CELL_REJECT;
    case XLSX_NUMBER: break;
    }
    if (c->len == 0) return CELL_OK; /* a formula never computed, a styled blank */
    unsigned kind = c->style < s->book.nxf ? s->book.xf_kind[c->style] : HZS_CELL_FMT_NUMBER;
    bool is_date = date || kind == HZS_CELL_FMT_DATE;
    const char *problem = NULL;
    const char *text = is_date ? hzs_cell_serial_date(value, s->book.date1904, buf, &problem) : NULL;
    /* a time of day shows as one; a duration past a day stays a number */
    if (!is_date && kind == HZS_CELL_FMT_TIME) text = hzs_cell_serial_time(value, buf);
    if (!is_date && !text) text = hzs_cell_number_text(value, buf);
    if (!text) {
        hzs_buf_add(out, v, c->len); /* the record shows the value as stored */
        *reason = is_date ? "invalid_date" : "malformed_row";
        hzs_buf_printf(why, "cell %s%u: %s %s", ref, r->row, value, problem ? problem : "is not a number");
        return CELL_REJECT;
    }
    hzs_buf_adds(out, text);
    return CELL_OK;
}

/* ------------------------------------------------------------------ */
/* plan: the header.                                                   */

/* The merged range covering header cell (row, col) other than at its first
 * column (hzs_sheet_merged_fn).  The merged ranges come after the rows:
 * the part is read on for them the first time one is asked for. */
typedef struct merge_lookup {
    xlsx_rows *r;
    int read; /* 0 not yet, 1 read, -1 failed (reported) */
} merge_lookup;

static bool merged_into(void *ctx, uint32_t row, uint32_t col, uint32_t *first_col) {
    merge_lookup *m = ctx;
    if (m->read == 0) m->read = xlsx_rows_read_merges(m->r) == 0 ? 1 : -1;
    for (size_t i = 0; m->read > 0 && i < m->r->nmerges; i++) {
        const xlsx_merge *g = &m->r->merges[i];
        if (row >= g->row1 && row <= g->row2 && col > g->col1 && col <= g->col2) {
            *first_col = g->col1;
            return true;
        }
    }
    return false;
}

/* Read the sheet to its header row: the row's cells' texts by column.
 * Returns 0 with *found false when the sheet ends before it. */
static int read_header_cells(xlsx_source *s, xlsx_rows *r, char ***texts, uint32_t *last, bool *found,
                             uint32_t *last_row) {
    *found = false;
    *last = 0;
    int got;
    while ((got = xlsx_rows_next(r)) == 1) {
        if (r->ncells) *last_row = r->row;
        if (r->row < s->area.header_row) continue;
        *found = true; /* a row left out of the sheet is an empty row */
        if (r->row > s->area.header_row) return 0;
        *texts = hz->xcalloc(hzs_sheet_width(&s->area), sizeof **texts);
        for (size_t k = 0; k < r->ncells; k++) {
            const xlsx_cell *c = &r->cells[k];
            if (!hzs_sheet_in_columns(&s->area, c->col)) continue;
            hzs_buf t = {0}, why = {0};
            const char *reason = NULL;
            if (cell_text(s, r, c, false, &t, &reason, &why) != CELL_OK) {
                hz->config_error(s->c, hz->option(s->c, "path"), "the header of %s: %s", s->feed_name,
                                 hzs_buf_str(&why));
                hzs_buf_free(&t);
                hzs_buf_free(&why);
                return -1;
            }
            hzs_buf_free(&why);
            uint32_t j = c->col - s->area.col1;
            free((*texts)[j]);
            (*texts)[j] = hzs_buf_take(&t);
            if ((*texts)[j] && (*texts)[j][0] && c->col > *last) *last = c->col;
        }
        return 0;
    }
    return got < 0 ? -1 : 0;
}

static int read_header(xlsx_source *s) {
    xlsx_rows r;
    if (xlsx_rows_open(&r, &s->book, s->sheet) != 0) {
        xlsx_rows_close(&r);
        return -1;
    }
    /* the header may be a shared string: the table is read now and freed
     * after, the run reads it again */
    char **texts = NULL;
    uint32_t last = 0, last_row = 0;
    bool found = false;
    int rc = read_header_cells(s, &r, &texts, &last, &found, &last_row);
    if (rc == 0 && (!found || last == 0)) {
        const hz_value *at = hz->option(s->c, "header_row");
        if (!at) at = hz->option(s->c, "path");
        if (!found)
            hz->config_error(s->c, at, "'header_row' %u is beyond the data of %s (its last row is %u)",
                             s->area.header_row, s->feed_name, last_row);
        else
            hz->config_error(s->c, at, "row %u of %s is empty: 'header_row' must hold the column names",
                             s->area.header_row, s->feed_name);
        rc = -1;
    }
    merge_lookup merges = {&r, 0};
    if (rc == 0)
        rc = hzs_sheet_header_build(&s->head, s->c, &s->area, s->feed_name, texts, last, merged_into, &merges,
                                    "or narrow 'range'");
    /* a broken part met while looking for merged ranges is reported as such */
    if (merges.read < 0) rc = -1;
    for (uint32_t j = 0; texts && j < hzs_sheet_width(&s->area); j++) free(texts[j]);
    free(texts);
    xlsx_rows_close(&r);
    return rc;
}

static int source_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    xlsx_source *s = self;
    struct stat st;
    if (!strcmp(s->in.path, HZS_INPUT_STDIN) || (stat(s->in.path, &st) == 0 && !S_ISREG(st.st_mode))) {
        hz->config_error(
            c, hz->option(c, "path"),
            "%s is not a regular file: a workbook is a zip, read out of order, so it cannot come "
            "from a pipe",
            s->in.shown);
        return -1;
    }
    if (stat(s->in.path, &st) != 0) {
        hz->error(c, "cannot open %s: %s", s->in.shown, strerror(errno));
        return -1;
    }
    int planned_fd = open(s->in.path, O_RDONLY | O_CLOEXEC);
    if (planned_fd >= 0) {
        hzs_watch_start(&s->planned, planned_fd);
        close(planned_fd);
    }
    if (xlsx_book_open(&s->book) != 0 || pick_sheet(s) != 0) return -1;
    hzs_buf name = {0};
    hzs_buf_printf(&name, "%s[%s]", s->in.path, s->sheet->name);
    s->feed = hz->feed(c, hzs_buf_str(&name));
    hzs_buf_clear(&name);
    hzs_buf_printf(&name, "%s[%s]", s->in.shown, s->sheet->name);
    s->feed_name = hzs_buf_take(&name);
    int rc = xlsx_book_load_strings(&s->book);
    if (rc == 0) rc = read_header(s);
    free(s->book.strings);
    free(s->book.str_at);
    s->book.strings = NULL;
    s->book.str_at = NULL;
    s->book.nstrings = 0;
    if (rc != 0) return -1;
    const hz_value *at = hz->option(c, "path");
    for (size_t j = 0; j < s->head.ncols; j++)
        if (hz->schema_add(c, out, s->head.names[j], at) != 0) rc = -1;
    hzs_record_init(&s->rec, s->head.ncols);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The run.                                                            */

static void reject(xlsx_source *s, const char *reason, hzs_buf *why) {
    hz_origin origin = {s->rows.row, s->feed, 0};
    hz->reject_fields(s->c, origin, hzs_record_fields(&s->rec), s->head.ncols, reason, "%s",
                      hzs_buf_str(why));
}

/* One sheet row: a row of the batch, a reject, or an empty row. */
static void take_row(xlsx_source *s, hz_batch *out) {
    xlsx_rows *r = &s->rows;
    hzs_record_clear(&s->rec);
    hzs_buf why = {0};
    const char *reason = NULL;
    bool any = false;
    /* every cell goes into the record, a reject shows them all; the
     * first bad cell is the one its detail names */
    for (size_t k = 0; k < r->ncells; k++) {
        const xlsx_cell *c = &r->cells[k];
        if (!hzs_sheet_in_columns(&s->area, c->col)) continue;
        size_t j = c->col - s->area.col1;
        const char *bad = NULL;
        hzs_buf w = {0};
        if (j >= s->head.ncols) {
            /* past the last named column: only an empty cell is no loss */
            hzs_buf t = {0};
            if (cell_text(s, r, c, false, &t, &bad, &w) != CELL_OK || t.len) {
                char ref[4];
                hzs_cell_col_name(c->col, ref);
                bad = "malformed_row";
                hzs_buf_clear(&w);
                hzs_buf_printf(&w, "cell %s%u has a value but its column has no name in header row %u", ref,
                               r->row, s->area.header_row);
            }
            hzs_buf_free(&t);
        } else {
            hzs_record_begin(&s->rec, j);
            cell_text(s, r, c, s->head.forced_date[j], &s->rec.text, &bad, &w);
            hzs_record_end(&s->rec, j);
            if (s->rec.len[j]) any = true;
        }
        if (bad && !reason) {
            reason = bad;
            hzs_buf_adds(&why, hzs_buf_str(&w));
        }
        hzs_buf_free(&w);
    }
    if (reason) {
        hzs_sheet_empties_data(&s->empties);
        reject(s, reason, &why);
    } else if (!any) {
        s->empties.pending++;
    } else {
        hzs_sheet_empties_data(&s->empties);
        hzs_record_emit(&s->rec, out, (hz_origin){r->row, s->feed, 0});
    }
    hzs_buf_free(&why);
}

/* The run reads every part through one descriptor, watched: a workbook
 * replaced or rewritten meanwhile fails the run (hzs_watch). */
static int start(xlsx_source *s) {
    s->started = true;
    s->book.fd = open(s->in.path, O_RDONLY | O_CLOEXEC);
    if (s->book.fd < 0) {
        hz->error(s->c, "cannot open %s: %s", s->in.shown, strerror(errno));
        return -1;
    }
    hzs_watch_start(&s->watch, s->book.fd);
    /* The header and the sheet were planned from the workbook as it was:
     * reading another one's rows under them would mix two files. */
    if (s->planned.regular && !hzs_watch_same(&s->planned, &s->watch)) {
        hz->error(s->c, "%s was %s between planning and reading it: nothing is published; run again",
                  s->in.shown, hzs_watch_difference(&s->planned, &s->watch));
        return -1;
    }
    if (xlsx_book_load_strings(&s->book) != 0) return -1;
    return xlsx_rows_open(&s->rows, &s->book, s->sheet);
}

static int finish(xlsx_source *s) {
    s->finished = true;
    xlsx_rows_close(&s->rows);
    /* libarchive reads members, not every byte: the size is not counted */
    if (hzs_watch_check(&s->watch, s->c, s->book.fd, s->in.path, UINT64_MAX) != 0) return -1;
    /* empty rows after the last row with data are the sheet's end, not
     * skipped rows */
    hzs_sheet_empties_note(&s->empties, s->c, s->feed_name);
    return 0;
}

static int source_read(hz_component *c, void *self, hz_batch *out) {
    xlsx_source *s = self;
    if (s->finished) return 0;
    if (!s->started && start(s) != 0) return -1;
    while (out->nrows < out->capacity) {
        uint32_t before = s->rows.row;
        int got = xlsx_rows_next(&s->rows);
        if (got < 0) return -1;
        if (got == 0 || (s->area.has_range && s->area.row2 && s->rows.row > s->area.row2)) {
            return finish(s);
        }
        if (s->rows.row <= s->area.header_row) continue;
        /* rows absent from the sheet are empty rows too */
        uint32_t from = before > s->area.header_row ? before : s->area.header_row;
        if (s->rows.row > from + 1) s->empties.pending += s->rows.row - from - 1;
        take_row(s, out);
    }
    if (HZ_HOST_HAS(input_progress)) hz->input_progress(c, s->rows.m.unzipped, 0);
    return 1;
}

static void source_destroy(void *self) {
    xlsx_source *s = self;
    xlsx_rows_close(&s->rows);
    xlsx_book_free(&s->book);
    if (s->book.fd >= 0) close(s->book.fd);
    hzs_sheet_header_free(&s->head);
    free(s->feed_name);
    hzs_record_free(&s->rec);
    hzs_input_free(&s->in);
    free(s);
}

const hz_source_class xlsx_source_class = {
    HZ_CLASS_INIT(hz_source_class),
    .doc = "one sheet of an Excel .xlsx workbook: the header row names the columns, each later row with "
           "data is a row; cells with an error value are rejected",
    HZ_OPTIONS(source_options),
    .create = source_create,
    .plan = source_plan,
    .read = source_read,
    .destroy = source_destroy,
};
