/* The workbook sink: one Excel .xlsx workbook (through libxlsxwriter) with
 * one sheet, the rows of the sink's input.  The header row is bold on a
 * fill, frozen and carries an autofilter; columns are as wide as their
 * values (within bounds) and typed from all their values: numbers, ISO
 * dates as Excel dates, everything else as text.
 *
 * Publication is that of every file sink: write() only spools the rows
 * (row_spool.h), prepare() builds the workbook under the temporary name
 * the core's journal gives (hzs_publish), closes and fsyncs it, commit()
 * renames it over the target, abort() removes it. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <xlsxwriter.h>

#include <support/hzs_columns.h>
#include <support/hzs_publish.h>

#include "cell_kind.h"
#include "row_spool.h"
#include "sheet_name.h"

/* Excel's limits for one sheet and one cell. */
#define EXCEL_MAX_ROWS  1048576u /* the header row included */
#define EXCEL_MAX_COLS  16384u
#define EXCEL_MAX_CHARS 32767u

/* Column widths, in characters: never narrower than a short header nor
 * wider than a screen's share for one column. */
#define WIDTH_MIN 6
#define WIDTH_MAX 60

typedef struct column {
    size_t from;                 /* index in the input */
    const char *name;            /* the schema's */
    const hz_value *declared_at; /* its entry in `types`, or NULL */
    cell_kind kind;              /* declared, or decided in prepare() */
    bool all_numbers;            /* every non-empty value so far is a number */
    bool all_dates;              /* ... an ISO date */
    bool any_value;              /* some value is not empty */
    size_t width;                /* widest value or header, in characters */
} column;

typedef struct workbook_sink {
    hz_component *c;
    const char *sheet;
    size_t ncols;
    column *cols;
    uint64_t rows; /* data rows spooled */
    hzs_publish out;
    char *dir; /* the target's folder: the spool and libxlsxwriter's files */
    row_spool spool;
    lxw_workbook *book; /* during prepare() only */
} workbook_sink;

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the .xlsx workbook to write; missing folders are created (mode 0777 less the umask)", NULL},
    {"sheet", HZ_OPT_STRING, NULL, false,
     "the sheet's name (default: the sink's name); at most 31 characters, none of []:*?/\\", NULL},
    {"columns", HZ_OPT_LIST, NULL, false, "write only these columns, in this order (default: all)", NULL},
    {"types", HZ_OPT_MAP, NULL, false,
     "column -> string, number or date: the cell type, instead of the one read from the values", NULL},
    {"fsync", HZ_OPT_BOOL, "true", false,
     "flush the workbook to disk before publishing it, so a crash never leaves a truncated file", NULL},
    {0},
};

static int sink_create(hz_component *c, void **self) {
    workbook_sink *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    hzs_publish_init(&s->out, c, hz->opt_path(c, "path"), hz->opt_bool(c, "fsync"));
    s->sheet = hz->option_given(c, "sheet") ? hz->opt_string(c, "sheet") : hz->component_name(c);
    const char *why = sheet_name_problem(s->sheet);
    if (why) {
        if (hz->option_given(c, "sheet"))
            hz->config_error(c, hz->option(c, "sheet"), "sheet name '%s' %s", s->sheet, why);
        else
            hz->config_error(c, NULL,
                             "sheet name '%s' (the sink's name) %s: give the sheet another name with sheet:",
                             s->sheet, why);
        return -1;
    }
    return 0;
}

/* The `types` option: each entry names a written column and a kind. */
static int plan_types(workbook_sink *s, const hz_schema *in) {
    const hz_value *map = hz->option(s->c, "types");
    int rc = 0;
    for (size_t k = 0; map && k < hz->value_count(map); k++) {
        const hz_value *key = hz->value_key(map, k), *val = hz->value_item(map, k);
        long i = hz->schema_require(s->c, in, hz->value_string(key), key);
        int kind = cell_kind_parse(hz->value_string(val));
        if (kind < 0) {
            const char *shown = hz->value_string(val);
            hz->config_error(s->c, val, "a cell type is string, number or date, not '%s'",
                             shown ? shown : "(a list or map)");
            rc = -1;
        }
        if (i < 0) {
            rc = -1;
            continue;
        }
        size_t j = 0;
        while (j < s->ncols && s->cols[j].from != (size_t)i) j++;
        if (j == s->ncols) {
            hz->config_error(s->c, key, "column '%s' is not written (it is not in columns:)",
                             hz->value_string(key));
            rc = -1;
        } else if (kind >= 0) {
            s->cols[j].kind = (cell_kind)kind;
            s->cols[j].declared_at = key;
        }
    }
    return rc;
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)out;
    workbook_sink *s = self;
    int claimed = hz->claim_output(c, s->out.path, NULL, hz->option(c, "path"));
    size_t *from = NULL;
    int rc = hzs_columns_plan(c, in, &from, &s->ncols);
    if (rc == 0 && s->ncols > EXCEL_MAX_COLS) {
        hz->config_error(c, NULL, "sheet '%s' would have %zu columns, more than Excel's %u", s->sheet,
                         s->ncols, EXCEL_MAX_COLS);
        rc = -1;
    }
    if (rc == 0) {
        s->cols = hz->xcalloc(s->ncols, sizeof *s->cols);
        for (size_t j = 0; j < s->ncols; j++) {
            column *col = &s->cols[j];
            col->from = from[j];
            col->name = hz->schema_name(in, from[j]);
            col->all_numbers = col->all_dates = true;
            col->width = cell_chars(col->name, strlen(col->name));
            if (col->width > EXCEL_MAX_CHARS) {
                hz->config_error(c, NULL, "column name '%.40s...' is longer than Excel's %u characters",
                                 col->name, EXCEL_MAX_CHARS);
                rc = -1;
            }
        }
        if (rc == 0) rc = plan_types(s, in);
    }
    free(from);
    return rc == 0 && claimed == 0 ? 0 : -1;
}

static int sink_open(hz_component *c, void *self) {
    workbook_sink *s = self;
    if (hzs_publish_open(&s->out) != 0) return -1;
    char *copy = hz->xstrdup(s->out.tmp_path);
    s->dir = hz->xstrdup(dirname(copy));
    free(copy);
    if (row_spool_open(&s->spool, s->dir, s->ncols) != 0) {
        hz->error(c, "cannot create a temporary file in %s for the rows of %s: %s", s->dir, s->out.shown,
                  strerror(errno));
        return -1;
    }
    return 0;
}

/* A value that breaks its declared type: a run-time error naming where
 * the row came from, as the sqlite sink does. */
static int declared_type_error(workbook_sink *s, const hz_batch *b, size_t r, const column *col,
                               const hz_field *f) {
    const char *component = NULL, *file = NULL;
    hz->feed_describe(s->c, b->origins[r].feed, &component, &file);
    hz->error(s->c, "%s:%llu: column '%s' is declared %s in types: but '%.*s%s' is not %s", file ? file : "?",
              (unsigned long long)b->origins[r].line, col->name, cell_kind_name(col->kind),
              (int)(f->len > 40 ? 40 : f->len), f->ptr, f->len > 40 ? "..." : "",
              col->kind == CELL_NUMBER ? "a decimal number" : "an ISO date (YYYY-MM-DD)");
    return -1;
}

/* A declared number may have leading zeros ("007" as 7): the pipeline
 * said so.  Still at most CELL_MAX_DIGITS significant digits. */
static bool declared_number(const char *p, size_t n) {
    size_t i = (n && p[0] == '-') ? 1 : 0;
    while (i + 1 < n && p[i] == '0' && p[i + 1] >= '0' && p[i + 1] <= '9') i++;
    char buf[CELL_MAX_DIGITS + 4];
    if (n - i > sizeof buf - 2) return false;
    size_t k = 0;
    if (n && p[0] == '-') buf[k++] = '-';
    memcpy(buf + k, p + i, n - i);
    return cell_is_number(buf, k + n - i);
}

/* Check row r against Excel's limits and the declared types.  0: keep it,
 * 1: rejected, -1: error reported. */
static int check_row(workbook_sink *s, const hz_batch *b, size_t r) {
    const hz_field *row = b->fields + r * b->ncols;
    for (size_t j = 0; j < s->ncols; j++) {
        const column *col = &s->cols[j];
        const hz_field *f = &row[col->from];
        if (f->len == 0) continue;
        size_t chars = f->len > EXCEL_MAX_CHARS ? cell_chars(f->ptr, f->len) : f->len;
        if (chars > EXCEL_MAX_CHARS) {
            hz->reject(s->c, b, r, "value_too_long",
                       "column '%s' has %zu characters, more than an Excel cell holds (%u)", col->name, chars,
                       EXCEL_MAX_CHARS);
            return 1;
        }
        if (memchr(f->ptr, '\0', f->len)) {
            hz->reject(s->c, b, r, "nul_byte", "column '%s' holds a NUL byte, which a workbook cannot store",
                       col->name);
            return 1;
        }
        int y, m, d;
        if (col->declared_at && col->kind == CELL_NUMBER && !declared_number(f->ptr, f->len))
            return declared_type_error(s, b, r, col, f);
        if (col->declared_at && col->kind == CELL_DATE && !cell_is_date(f->ptr, f->len, &y, &m, &d))
            return declared_type_error(s, b, r, col, f);
    }
    return 0;
}

static int sink_write(hz_component *c, void *self, const hz_batch *in) {
    workbook_sink *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        int verdict = check_row(s, in, r);
        if (verdict < 0) return -1;
        if (verdict > 0) continue;
        if (s->rows + 1 >= EXCEL_MAX_ROWS) {
            hz->error(c,
                      "sheet '%s' of %s would have more than %u rows, Excel's limit (%u data rows under the "
                      "header)",
                      s->sheet, s->out.shown, EXCEL_MAX_ROWS, EXCEL_MAX_ROWS - 1);
            return -1;
        }
        const hz_field *row = in->fields + r * in->ncols;
        for (size_t j = 0; j < s->ncols; j++) {
            column *col = &s->cols[j];
            const hz_field *f = &row[col->from];
            if (row_spool_put(&s->spool, f->ptr, f->len) != 0) {
                hz->error(c, "cannot write the rows of %s to a temporary file in %s: %s", s->out.shown,
                          s->dir, strerror(errno));
                return -1;
            }
            if (f->len == 0) continue;
            int y, m, d;
            col->any_value = true;
            if (col->all_numbers) col->all_numbers = cell_is_number(f->ptr, f->len);
            if (col->all_dates) col->all_dates = cell_is_date(f->ptr, f->len, &y, &m, &d);
            size_t chars = cell_chars(f->ptr, f->len);
            if (chars > col->width) col->width = chars;
        }
        s->rows++;
    }
    return 0;
}

static int xlsx_error(workbook_sink *s, const char *what, lxw_error err) {
    hz->error(s->c, "cannot %s in %s (temporary file %s): %s", what, s->out.shown, s->out.tmp_path,
              lxw_strerror(err));
    return -1;
}

/* A column no `types` entry names: numbers if every value is one, dates if
 * every value is one, else text (an empty column too). */
static void decide_kinds(workbook_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        column *col = &s->cols[j];
        if (col->declared_at) continue;
        col->kind = !col->any_value    ? CELL_STRING
                    : col->all_numbers ? CELL_NUMBER
                    : col->all_dates   ? CELL_DATE
                                       : CELL_STRING;
    }
}

/* Widths, the header row (styled, frozen, filtered). */
static int write_header(workbook_sink *s, lxw_worksheet *ws, lxw_format *date_format) {
    lxw_format *head = workbook_add_format(s->book);
    format_set_bold(head);
    format_set_pattern(head, LXW_PATTERN_SOLID);
    format_set_bg_color(head, 0xD9E1F2);
    format_set_bottom(head, LXW_BORDER_THIN);
    for (size_t j = 0; j < s->ncols; j++) {
        column *col = &s->cols[j];
        size_t width = col->width + 2; /* room for the filter button */
        if (col->kind == CELL_DATE && width < 12) width = 12;
        width = width < WIDTH_MIN ? WIDTH_MIN : width > WIDTH_MAX ? WIDTH_MAX : width;
        lxw_error err = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, (double)width,
                                             col->kind == CELL_DATE ? date_format : NULL);
        if (!err) err = worksheet_write_string(ws, 0, (lxw_col_t)j, col->name, head);
        if (err) return xlsx_error(s, "write the header", err);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_error err = worksheet_autofilter(ws, 0, 0, (lxw_row_t)s->rows, (lxw_col_t)(s->ncols - 1));
    return err ? xlsx_error(s, "set the autofilter", err) : 0;
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t j, const column *col, const char *p,
                            size_t n, lxw_format *date_format) {
    if (n == 0) return LXW_NO_ERROR; /* an empty value: an empty cell */
    int y, m, d;
    switch (col->kind) {
    case CELL_NUMBER: return worksheet_write_number(ws, r, j, strtod(p, NULL), NULL);
    case CELL_DATE:
        if (!cell_is_date(p, n, &y, &m, &d)) break;
        lxw_datetime when = {.year = y, .month = m, .day = d};
        return worksheet_write_datetime(ws, r, j, &when, date_format);
    case CELL_STRING: break;
    }
    return worksheet_write_string(ws, r, j, p, NULL);
}

/* The spooled rows, in order (constant memory wants them so). */
static int write_rows(workbook_sink *s, lxw_worksheet *ws, lxw_format *date_format) {
    if (row_spool_rewind(&s->spool) != 0) goto spool_error;
    for (uint64_t r = 1; r <= s->rows; r++)
        for (size_t j = 0; j < s->ncols; j++) {
            const char *p;
            size_t n;
            if (row_spool_get(&s->spool, &p, &n) != 0) goto spool_error;
            lxw_error err = write_cell(ws, (lxw_row_t)r, (lxw_col_t)j, &s->cols[j], p, n, date_format);
            if (err) return xlsx_error(s, "write a cell", err);
        }
    return 0;
spool_error:
    hz->error(s->c, "cannot read back the rows of %s from their temporary file in %s: %s", s->out.shown,
              s->dir, strerror(errno));
    return -1;
}

/* libxlsxwriter opens the temporary file by its name: make sure it wrote
 * the file hzs_publish created (and will fsync), not something put in
 * its place meanwhile. */
static int same_file(workbook_sink *s) {
    struct stat named, opened;
    if (lstat(s->out.tmp_path, &named) == 0 && fstat(s->out.fd, &opened) == 0 &&
        named.st_dev == opened.st_dev && named.st_ino == opened.st_ino)
        return 0;
    hz->error(s->c, "the temporary file %s of %s was replaced while the workbook was written",
              s->out.tmp_path, s->out.shown);
    return -1;
}

/* The workbook's "created" property: libxlsxwriter would write the time of
 * the run, so that no two runs wrote the same bytes.  It is the
 * reproducible-builds SOURCE_DATE_EPOCH when set, else 1980-01-01, the
 * date the zip entries carry too: the same rows give the same file. */
static time_t created_time(void) {
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long t = epoch ? strtoll(epoch, &end, 10) : 0;
    return epoch && *epoch && !*end && t > 0 ? (time_t)t : (time_t)315532800;
}

static int sink_prepare(hz_component *c, void *self) {
    (void)c;
    workbook_sink *s = self;
    decide_kinds(s);
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = s->dir};
    s->book = workbook_new_opt(s->out.tmp_path, &options);
    if (!s->book) {
        hz->error(c, "cannot start the workbook %s (temporary file %s)", s->out.shown, s->out.tmp_path);
        return -1;
    }
    lxw_doc_properties properties = {.created = created_time()};
    lxw_error err = workbook_set_properties(s->book, &properties);
    if (err) return xlsx_error(s, "set the workbook's properties", err);
    lxw_worksheet *ws = workbook_add_worksheet(s->book, s->sheet);
    if (!ws) {
        hz->error(c, "cannot add sheet '%s' to %s", s->sheet, s->out.shown);
        return -1;
    }
    lxw_format *date_format = workbook_add_format(s->book);
    format_set_num_format(date_format, "yyyy-mm-dd");
    if (write_header(s, ws, date_format) != 0 || write_rows(s, ws, date_format) != 0) return -1;
    err = workbook_close(s->book); /* writes the file, frees the workbook */
    s->book = NULL;
    if (err) return xlsx_error(s, "write the workbook", err);
    row_spool_close(&s->spool);
    if (same_file(s) != 0) return -1;
    return hzs_publish_prepare(&s->out);
}

static int sink_commit(hz_component *c, void *self) {
    (void)c;
    workbook_sink *s = self;
    return hzs_publish_commit(&s->out);
}

static void sink_abort(hz_component *c, void *self) {
    (void)c;
    workbook_sink *s = self;
    if (s->book) lxw_workbook_free(s->book); /* a half-built workbook: its temporary files have no names */
    s->book = NULL;
    row_spool_close(&s->spool);
    hzs_publish_abort(&s->out);
}

static void sink_destroy(void *self) {
    workbook_sink *s = self;
    if (!s) return;
    if (s->book) lxw_workbook_free(s->book);
    row_spool_close(&s->spool);
    hzs_publish_free(&s->out);
    free(s->cols);
    free(s->dir);
    free(s);
}

static const hz_sink_class workbook_sink_class = {
    HZ_CLASS_INIT(hz_sink_class),
    HZ_OPTIONS(sink_options),
    .doc = "writes an Excel workbook (.xlsx): one sheet, typed cells, a frozen and filtered header",
    .create = sink_create,
    .plan = sink_plan,
    .open = sink_open,
    .write = sink_write,
    .prepare = sink_prepare,
    .commit = sink_commit,
    .abort = sink_abort,
    .destroy = sink_destroy,
};

static const hz_plugin workbook_plugin = {
    HZ_PLUGIN_INIT,
    .name = "workbook",
    .version = "1.0.0",
    .description = "Excel workbook sink (libxlsxwriter)",
    .sink = &workbook_sink_class,
};

HZ_PLUGIN(workbook_plugin)
