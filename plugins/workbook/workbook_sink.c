/* The workbook sink: one Excel .xlsx workbook (through libxlsxwriter) with
 * one sheet per input, in the order of `inputs:` (plugin ABI 1.3: the core
 * hands each input's rows apart, write_input()).  Each sheet's header row is bold on a
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

/* One sheet: the rows of one input. */
typedef struct sheet {
    char name[SHEET_NAME_BYTES]; /* decided in plan() */
    const char *input;           /* the input's name (hz->input_name) */
    const hz_value *named_at;    /* its entry in `sheets`, or NULL */
    size_t ncols;
    column *cols;
    uint64_t rows; /* data rows spooled */
    row_spool spool;
} sheet;

typedef struct workbook_sink {
    hz_component *c;
    size_t nsheets; /* one per input */
    sheet *sheets;
    hzs_publish out;
    char *dir;          /* the target's folder: the spools and libxlsxwriter's files */
    lxw_workbook *book; /* during prepare() only */
} workbook_sink;

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the .xlsx workbook to write; missing folders are created (mode 0777 less the umask)", NULL},
    {"sheet", HZ_OPT_STRING, NULL, false,
     "a one-input sink: the sheet's name (default: the sink's name); at most 31 characters, none of "
     "[]:*?/\\",
     NULL},
    {"sheets", HZ_OPT_MAP, NULL, false,
     "input -> sheet name, instead of the input's name (one sheet per input, in the order of inputs:)", NULL},
    {"columns", HZ_OPT_LIST, NULL, false,
     "write only these columns, in this order (default: all); with several inputs, on every sheet", NULL},
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
    return 0;
}

/* Whether sheet name `name` is one of the sheets named so far. */
typedef struct naming {
    const workbook_sink *s;
    size_t upto; /* sheets[0..upto) and every sheet named in `sheets` */
} naming;

static bool name_taken(const char *name, void *arg) {
    const naming *n = arg;
    for (size_t i = 0; i < n->s->nsheets; i++)
        if ((i < n->upto || n->s->sheets[i].named_at) && n->s->sheets[i].name[0] &&
            sheet_name_same(n->s->sheets[i].name, name))
            return true;
    return false;
}

/* A name the pipeline wrote (sheet: or an entry of sheets:): Excel's rules,
 * and no other sheet's name.  0, or -1 after reporting at `at`. */
static int given_name(workbook_sink *s, size_t i, const char *name, const hz_value *at) {
    const char *why = sheet_name_problem(name);
    if (why) {
        hz->config_error(s->c, at, "sheet name '%s' %s", name, why);
        return -1;
    }
    for (size_t k = 0; k < s->nsheets; k++)
        if (k != i && s->sheets[k].named_at && sheet_name_same(s->sheets[k].name, name)) {
            hz->config_error(s->c, at,
                             "sheet name '%s' is already that of input '%s' (Excel compares sheet names "
                             "without regard to case)",
                             name, s->sheets[k].input);
            return -1;
        }
    snprintf(s->sheets[i].name, sizeof s->sheets[i].name, "%s", name);
    s->sheets[i].named_at = at;
    return 0;
}

/* The `sheets` option: each key an input, each value its sheet's name. */
static int plan_given_names(workbook_sink *s) {
    const hz_value *map = hz->option(s->c, "sheets");
    int rc = 0;
    for (size_t k = 0; map && k < hz->value_count(map); k++) {
        const hz_value *key = hz->value_key(map, k), *val = hz->value_item(map, k);
        const char *input = hz->value_string(key), *name = hz->value_string(val);
        size_t i = 0;
        while (i < s->nsheets && strcmp(s->sheets[i].input, input)) i++;
        if (i == s->nsheets) {
            char list[512] = "";
            for (size_t j = 0; j < s->nsheets; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "",
                         s->sheets[j].input);
            hz->config_error(s->c, key, "'%s' is not an input of '%s' (its inputs: %s)", input,
                             hz->component_name(s->c), list);
            rc = -1;
        } else if (given_name(s, i, name, val) != 0)
            rc = -1;
    }
    return rc;
}

/* Sheet names: those the pipeline gives (sheet:, sheets:) as written, or
 * refused; the others generated, in the order of the inputs: with one
 * input the sink's name (as before sinks had several sheets: refused if
 * Excel would), with several the input's name, made valid and unique
 * (sheet_name_make). */
static int plan_sheet_names(workbook_sink *s) {
    hz_component *c = s->c;
    bool one = s->nsheets == 1, sheet_given = hz->option_given(c, "sheet");
    if (sheet_given && !one) {
        hz->config_error(c, hz->option(c, "sheet"),
                         "'sheet' names the sheet of a sink with one input; this one has %zu: name their "
                         "sheets with sheets: {INPUT: NAME}",
                         s->nsheets);
        return -1;
    }
    if (sheet_given && hz->option_given(c, "sheets")) {
        hz->config_error(c, hz->option(c, "sheets"),
                         "give the sheet's name once: 'sheet' or 'sheets', not both");
        return -1;
    }
    if (sheet_given) return given_name(s, 0, hz->opt_string(c, "sheet"), hz->option(c, "sheet"));
    if (plan_given_names(s) != 0) return -1;
    if (one && !s->sheets[0].named_at) {
        const char *name = hz->component_name(c), *why = sheet_name_problem(name);
        if (why) {
            hz->config_error(
                c, NULL,
                "sheet name '%s' (the sink's name) %s: give the sheet another name with sheet:", name, why);
            return -1;
        }
        snprintf(s->sheets[0].name, sizeof s->sheets[0].name, "%s", name);
        return 0;
    }
    for (size_t i = 0; i < s->nsheets; i++) {
        if (s->sheets[i].named_at) continue;
        naming n = {s, i};
        sheet_name_make(s->sheets[i].input, s->sheets[i].name, name_taken, &n);
    }
    return 0;
}

/* In plan(): the sheets, one per input, and their names. */
static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in, (void)out;
    workbook_sink *s = self;
    int claimed = hz->claim_output(c, s->out.path, NULL, hz->option(c, "path"));
    if (!HZ_HOST_HAS(input_name)) {
        hz->config_error(c, NULL, "this harmonize is older than the workbook sink: it needs ABI 1.3");
        return -1;
    }
    s->nsheets = hz->input_count(c);
    s->sheets = hz->xcalloc(s->nsheets ? s->nsheets : 1, sizeof *s->sheets);
    for (size_t i = 0; i < s->nsheets; i++) s->sheets[i].input = hz->input_name(c, i);
    int named = plan_sheet_names(s);
    return named == 0 && claimed == 0 ? 0 : -1;
}

/* The `types` option on one sheet.  With one input each entry must name a
 * written column of it; with several, an entry applies to the sheets that
 * write its column (sink_plan_done checks that some sheet does). */
static int plan_types(workbook_sink *s, sheet *sh, const hz_schema *in) {
    const hz_value *map = hz->option(s->c, "types");
    int rc = 0;
    for (size_t k = 0; map && k < hz->value_count(map); k++) {
        const hz_value *key = hz->value_key(map, k), *val = hz->value_item(map, k);
        int kind = cell_kind_parse(hz->value_string(val));
        if (kind < 0 && sh == &s->sheets[0]) {
            const char *shown = hz->value_string(val);
            hz->config_error(s->c, val, "a cell type is string, number or date, not '%s'",
                             shown ? shown : "(a list or map)");
            rc = -1;
        }
        long i = s->nsheets == 1 ? hz->schema_require(s->c, in, hz->value_string(key), key)
                                 : hz->schema_find(in, hz->value_string(key));
        if (i < 0) {
            if (s->nsheets == 1) rc = -1;
            continue;
        }
        size_t j = 0;
        while (j < sh->ncols && sh->cols[j].from != (size_t)i) j++;
        if (j == sh->ncols) {
            if (s->nsheets == 1) {
                hz->config_error(s->c, key, "column '%s' is not written (it is not in columns:)",
                                 hz->value_string(key));
                rc = -1;
            }
        } else if (kind >= 0) {
            sh->cols[j].kind = (cell_kind)kind;
            sh->cols[j].declared_at = key;
        }
    }
    return rc;
}

/* With several sheets: each `types` entry must name a column written on
 * at least one of them. */
static int check_types_used(workbook_sink *s) {
    const hz_value *map = hz->option(s->c, "types");
    int rc = 0;
    for (size_t k = 0; map && s->nsheets > 1 && k < hz->value_count(map); k++) {
        const hz_value *key = hz->value_key(map, k);
        bool used = false;
        for (size_t i = 0; i < s->nsheets && !used; i++)
            for (size_t j = 0; j < s->sheets[i].ncols && !used; j++)
                used = s->sheets[i].cols[j].declared_at == key;
        if (used || cell_kind_parse(hz->value_string(hz->value_item(map, k))) < 0) continue;
        hz->config_error(s->c, key, "column '%s' is written on no sheet of '%s'", hz->value_string(key),
                         hz->component_name(s->c));
        rc = -1;
    }
    return rc;
}

/* One input's columns: its sheet's columns, their names and types. */
static int sink_plan_input(hz_component *c, void *self, size_t input, const hz_schema *in) {
    workbook_sink *s = self;
    if (input >= s->nsheets) return 0; /* plan() failed before knowing its inputs */
    sheet *sh = &s->sheets[input];
    size_t *from = NULL;
    int rc = hzs_columns_plan(c, in, &from, &sh->ncols);
    if (rc == 0 && sh->ncols > EXCEL_MAX_COLS) {
        hz->config_error(c, NULL, "sheet '%s' would have %zu columns, more than Excel's %u", sh->name,
                         sh->ncols, EXCEL_MAX_COLS);
        rc = -1;
    }
    if (rc == 0) {
        sh->cols = hz->xcalloc(sh->ncols, sizeof *sh->cols);
        for (size_t j = 0; j < sh->ncols; j++) {
            column *col = &sh->cols[j];
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
        if (rc == 0) rc = plan_types(s, sh, in);
    }
    free(from);
    if (rc == 0 && input + 1 == s->nsheets) rc = check_types_used(s);
    return rc;
}

static int sink_open(hz_component *c, void *self) {
    workbook_sink *s = self;
    if (hzs_publish_open(&s->out) != 0) return -1;
    char *copy = hz->xstrdup(s->out.tmp_path);
    s->dir = hz->xstrdup(dirname(copy));
    free(copy);
    for (size_t i = 0; i < s->nsheets; i++)
        if (row_spool_open(&s->sheets[i].spool, s->dir, s->sheets[i].ncols) != 0) {
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
static int check_row(workbook_sink *s, const sheet *sh, const hz_batch *b, size_t r) {
    const hz_field *row = b->fields + r * b->ncols;
    for (size_t j = 0; j < sh->ncols; j++) {
        const column *col = &sh->cols[j];
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

/* The rows of input `input` go to its own sheet. */
static int sink_write_input(hz_component *c, void *self, size_t input, const hz_batch *in) {
    workbook_sink *s = self;
    if (input >= s->nsheets) {
        hz->error(c, "rows of input %zu, but the workbook has %zu sheets (a core bug)", input, s->nsheets);
        return -1;
    }
    sheet *sh = &s->sheets[input];
    for (size_t r = 0; r < in->nrows; r++) {
        int verdict = check_row(s, sh, in, r);
        if (verdict < 0) return -1;
        if (verdict > 0) continue;
        if (sh->rows + 1 >= EXCEL_MAX_ROWS) {
            hz->error(c,
                      "sheet '%s' of %s would have more than %u rows, Excel's limit (%u data rows under the "
                      "header)",
                      sh->name, s->out.shown, EXCEL_MAX_ROWS, EXCEL_MAX_ROWS - 1);
            return -1;
        }
        const hz_field *row = in->fields + r * in->ncols;
        for (size_t j = 0; j < sh->ncols; j++) {
            column *col = &sh->cols[j];
            const hz_field *f = &row[col->from];
            if (row_spool_put(&sh->spool, f->ptr, f->len) != 0) {
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
        sh->rows++;
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
static void decide_kinds(sheet *sh) {
    for (size_t j = 0; j < sh->ncols; j++) {
        column *col = &sh->cols[j];
        if (col->declared_at) continue;
        col->kind = !col->any_value    ? CELL_STRING
                    : col->all_numbers ? CELL_NUMBER
                    : col->all_dates   ? CELL_DATE
                                       : CELL_STRING;
    }
}

/* Widths, the header row (styled, frozen, filtered). */
static int write_header(workbook_sink *s, const sheet *sh, lxw_worksheet *ws, lxw_format *head,
                        lxw_format *date_format) {
    for (size_t j = 0; j < sh->ncols; j++) {
        const column *col = &sh->cols[j];
        size_t width = col->width + 2; /* room for the filter button */
        if (col->kind == CELL_DATE && width < 12) width = 12;
        width = width < WIDTH_MIN ? WIDTH_MIN : width > WIDTH_MAX ? WIDTH_MAX : width;
        lxw_error err = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, (double)width,
                                             col->kind == CELL_DATE ? date_format : NULL);
        if (!err) err = worksheet_write_string(ws, 0, (lxw_col_t)j, col->name, head);
        if (err) return xlsx_error(s, "write the header", err);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_error err = worksheet_autofilter(ws, 0, 0, (lxw_row_t)sh->rows, (lxw_col_t)(sh->ncols - 1));
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
static int write_rows(workbook_sink *s, sheet *sh, lxw_worksheet *ws, lxw_format *date_format) {
    if (row_spool_rewind(&sh->spool) != 0) goto spool_error;
    for (uint64_t r = 1; r <= sh->rows; r++)
        for (size_t j = 0; j < sh->ncols; j++) {
            const char *p;
            size_t n;
            if (row_spool_get(&sh->spool, &p, &n) != 0) goto spool_error;
            lxw_error err = write_cell(ws, (lxw_row_t)r, (lxw_col_t)j, &sh->cols[j], p, n, date_format);
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

/* Each sheet in the order of the inputs.  In constant-memory mode a
 * sheet's rows go to its own temporary file, so the sheets are written one
 * after the other, each from its spool, which is closed once replayed. */
static int write_sheets(workbook_sink *s) {
    lxw_format *head = workbook_add_format(s->book);
    format_set_bold(head);
    format_set_pattern(head, LXW_PATTERN_SOLID);
    format_set_bg_color(head, 0xD9E1F2);
    format_set_bottom(head, LXW_BORDER_THIN);
    lxw_format *date_format = workbook_add_format(s->book);
    format_set_num_format(date_format, "yyyy-mm-dd");
    for (size_t i = 0; i < s->nsheets; i++) {
        sheet *sh = &s->sheets[i];
        decide_kinds(sh);
        lxw_worksheet *ws = workbook_add_worksheet(s->book, sh->name);
        if (!ws) {
            hz->error(s->c, "cannot add sheet '%s' to %s", sh->name, s->out.shown);
            return -1;
        }
        if (write_header(s, sh, ws, head, date_format) != 0 || write_rows(s, sh, ws, date_format) != 0)
            return -1;
        row_spool_close(&sh->spool);
    }
    return 0;
}

static int sink_prepare(hz_component *c, void *self) {
    (void)c;
    workbook_sink *s = self;
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = s->dir};
    s->book = workbook_new_opt(s->out.tmp_path, &options);
    if (!s->book) {
        hz->error(c, "cannot start the workbook %s (temporary file %s)", s->out.shown, s->out.tmp_path);
        return -1;
    }
    lxw_doc_properties properties = {.created = created_time()};
    lxw_error err = workbook_set_properties(s->book, &properties);
    if (err) return xlsx_error(s, "set the workbook's properties", err);
    if (write_sheets(s) != 0) return -1;
    err = workbook_close(s->book); /* writes the file, frees the workbook */
    s->book = NULL;
    if (err) return xlsx_error(s, "write the workbook", err);
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
    for (size_t i = 0; i < s->nsheets; i++) row_spool_close(&s->sheets[i].spool);
    hzs_publish_abort(&s->out);
}

static void sink_destroy(void *self) {
    workbook_sink *s = self;
    if (!s) return;
    if (s->book) lxw_workbook_free(s->book);
    for (size_t i = 0; i < s->nsheets; i++) {
        row_spool_close(&s->sheets[i].spool);
        free(s->sheets[i].cols);
    }
    free(s->sheets);
    hzs_publish_free(&s->out);
    free(s->dir);
    free(s);
}

static const hz_sink_class workbook_sink_class = {
    HZ_CLASS_INIT(hz_sink_class),
    HZ_OPTIONS(sink_options),
    .doc = "writes an Excel workbook (.xlsx): one sheet per input, typed cells, a frozen and filtered header",
    .create = sink_create,
    .plan = sink_plan,
    .plan_input = sink_plan_input,
    .write_input = sink_write_input,
    .open = sink_open,
    .prepare = sink_prepare,
    .commit = sink_commit,
    .abort = sink_abort,
    .destroy = sink_destroy,
};

static const hz_plugin workbook_plugin = {
    HZ_PLUGIN_INIT,
    .name = "workbook",
    .version = "1.1.0",
    .description = "Excel workbook sink (libxlsxwriter)",
    .sink = &workbook_sink_class,
};

HZ_PLUGIN(workbook_plugin)
