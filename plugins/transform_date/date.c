/* date: read a date written in one of a feed's formats and write it as ISO
 * 8601 (YYYY-MM-DD).
 *
 * Formats use a small strptime-like language, parsed here rather than by
 * the C library: strptime depends on the locale (month names), accepts
 * trailing junk and normalizes 31.02 into March on some systems; a
 * harmonized dataset needs the same answer on every machine and a reject
 * for every impossible date.
 *
 *   %d  day, 1 or 2 digits          %e  day, 1 or 2 digits, may be
 *   %m  month, 1 or 2 digits             space-padded (" 4")
 *   %Y  year, exactly 4 digits      %b  English month abbreviation
 *   %y  year, exactly 2 digits:         (Jan ... Dec, any case)
 *       00-68 -> 2000-2068,         %%  a literal '%'
 *       69-99 -> 1969-1999 (POSIX)  anything else: itself, exactly
 *
 * %d, %e and %m take exactly 2 digits when run together with another
 * number (%Y%m%d), so that 2021114 is not read as 2021-11-04.  A format must
 * consume the whole cell; spaces around the cell are ignored.  Formats are
 * tried in order and the first that yields a real calendar date wins, so
 * with [%m/%d/%Y, %d/%m/%Y] the cell 03/04/2021 is 4 March and 13/04/2021
 * is 13 April: an ambiguous cell takes the first format's reading. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_buf.h>
#include <support/hzs_schema.h>

#include <support/hzs_detail.h>

typedef enum op_kind {
    OP_LITERAL,
    OP_DAY,
    OP_DAY_PADDED,
    OP_MONTH,
    OP_MONTH_NAME,
    OP_YEAR4,
    OP_YEAR2
} op_kind;

typedef struct op {
    op_kind kind;
    char literal;     /* OP_LITERAL */
    bool exactly_two; /* OP_DAY, OP_DAY_PADDED, OP_MONTH: next to another number */
} op;

typedef struct format {
    const char *text;
    op *ops;
    size_t nops;
    bool iso; /* "%Y-%m-%d": a match is already the output text */
} format;

typedef struct date_state {
    const char *column;
    size_t col;  /* the input column */
    size_t dest; /* where the ISO date goes */
    long year;   /* where the year goes, or -1 */
    size_t in_cols;
    bool required;
    format *formats;
    size_t nformats;
    char *tried; /* "%d.%m.%Y, %Y-%m-%d" for details */
} date_state;

static const hz_option date_options[] = {
    {"column", HZ_OPT_STRING, NULL, true, "the column holding the date", NULL},
    {"formats", HZ_OPT_LIST, NULL, true,
     "tried in order, the first real date wins: %d %e %m %b %Y %y and literal text, e.g. [\"%d.%m.%Y\"] "
     "(quoted: YAML reserves a leading %)",
     NULL},
    {"output", HZ_OPT_STRING, NULL, false,
     "write the ISO date here (added, or overwritten) instead of in column", NULL},
    {"year_column", HZ_OPT_STRING, NULL, false,
     "also write the 4-digit year to this column (added, or overwritten)", NULL},
    {"required", HZ_OPT_BOOL, "true", false, "reject an empty cell (false: it stays empty)", NULL},
    {0},
};

static const char *const month_names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const month_full[12] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};

static bool is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

static bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool is_number(op_kind k) {
    return k != OP_LITERAL && k != OP_MONTH_NAME;
}

/* Turn one format string into ops; reports at `at` and returns -1 if the
 * format is not one this plugin can read. */
static int compile(hz_component *c, const hz_value *at, format *f) {
    const char *t = f->text;
    size_t n = strlen(t);
    if (n == 0) {
        hz->config_error(c, at, "a date format cannot be empty");
        return -1;
    }
    f->ops = hz->xcalloc(n, sizeof *f->ops);
    int day = 0, month = 0, year = 0;
    for (size_t i = 0; i < n; i++) {
        op o = {.kind = OP_LITERAL, .literal = t[i]};
        if (t[i] == '%') {
            if (++i == n) {
                hz->config_error(c, at,
                                 "date format '%s' ends with a lone '%%' (write %%%% for a literal '%%')", t);
                return -1;
            }
            switch (t[i]) {
            case 'd': o.kind = OP_DAY, day++; break;
            case 'e': o.kind = OP_DAY_PADDED, day++; break;
            case 'm': o.kind = OP_MONTH, month++; break;
            case 'b': o.kind = OP_MONTH_NAME, month++; break;
            case 'Y': o.kind = OP_YEAR4, year++; break;
            case 'y': o.kind = OP_YEAR2, year++; break;
            case '%': o.literal = '%'; break;
            default:
                hz->config_error(c, at,
                                 "unknown directive '%%%c' in date format '%s' (known: %%d %%e %%m %%b %%Y "
                                 "%%y %%%%)",
                                 t[i], t);
                return -1;
            }
        }
        f->ops[f->nops++] = o;
    }
    const char *missing = !day     ? "day (%d or %e)"
                          : !month ? "month (%m or %b)"
                          : !year  ? "year (%Y or %y)"
                                   : NULL;
    const char *twice = day > 1 ? "day" : month > 1 ? "month" : year > 1 ? "year" : NULL;
    if (missing) {
        hz->config_error(c, at, "date format '%s' has no %s", t, missing);
        return -1;
    }
    if (twice) {
        hz->config_error(c, at, "date format '%s' gives the %s twice", t, twice);
        return -1;
    }
    /* A number run together with another (%Y%m%d) has no separator to
     * end it: it takes exactly two digits. */
    for (size_t k = 0; k < f->nops; k++)
        f->ops[k].exactly_two =
            (k > 0 && is_number(f->ops[k - 1].kind)) || (k + 1 < f->nops && is_number(f->ops[k + 1].kind));
    f->iso = !strcmp(t, "%Y-%m-%d");
    return 0;
}

typedef enum match { NO_MATCH, BAD_DATE, DATE_OK } match;

/* Read up to `max` digits (at least `min`) into *v. */
static bool digits(const char **p, const char *end, int min, int max, int *v) {
    int k = 0, x = 0;
    while (k < max && *p < end && **p >= '0' && **p <= '9') x = x * 10 + (*(*p)++ - '0'), k++;
    *v = x;
    return k >= min;
}

/* Match cell text [p, end) against format f.  DATE_OK fills y/m/d; BAD_DATE
 * (the shape fits, the calendar does not) writes why into `why`. */
static match parse(const format *f, const char *p, const char *end, int *y, int *m, int *d, char *why,
                   size_t whysize) {
    int day = 0, month = 0, year = 0;
    for (size_t k = 0; k < f->nops; k++) {
        const op *o = &f->ops[k];
        int min = o->exactly_two ? 2 : 1;
        switch (o->kind) {
        case OP_LITERAL:
            if (p == end || *p != o->literal) return NO_MATCH;
            p++;
            break;
        case OP_DAY:
            if (!digits(&p, end, min, 2, &day)) return NO_MATCH;
            break;
        case OP_DAY_PADDED:
            if (p < end && *p == ' ') {
                p++;
                if (!digits(&p, end, 1, 1, &day)) return NO_MATCH;
            } else if (!digits(&p, end, min, 2, &day)) {
                return NO_MATCH;
            }
            break;
        case OP_MONTH:
            if (!digits(&p, end, min, 2, &month)) return NO_MATCH;
            break;
        case OP_MONTH_NAME: {
            if (end - p < 3) return NO_MATCH;
            month = 0;
            for (int i = 0; i < 12 && !month; i++) {
                bool same = true;
                for (int j = 0; j < 3; j++) same &= (p[j] | 0x20) == month_names[i][j];
                if (same) month = i + 1;
            }
            if (!month) return NO_MATCH;
            p += 3;
            break;
        }
        case OP_YEAR4:
            if (!digits(&p, end, 4, 4, &year)) return NO_MATCH;
            break;
        case OP_YEAR2:
            if (!digits(&p, end, 2, 2, &year)) return NO_MATCH;
            year += year < 69 ? 2000 : 1900;
            break;
        }
    }
    if (p != end) return NO_MATCH;
    if (year == 0)
        snprintf(why, whysize, "there is no year 0");
    else if (month < 1 || month > 12)
        snprintf(why, whysize, "there is no month %d", month);
    else if (day < 1 || day > days_in_month(year, month))
        snprintf(why, whysize, day < 1 ? "there is no day 0" : "%s %d has %d days", month_full[month - 1],
                 year, days_in_month(year, month));
    else {
        *y = year, *m = month, *d = day;
        return DATE_OK;
    }
    return BAD_DATE;
}

static int date_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(date_state));
    return 0;
}

static int date_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    date_state *s = self;
    s->column = hz->opt_string(c, "column");
    s->required = hz->opt_bool(c, "required");
    long col = hzs_schema_input(c, in, "column");
    s->col = col < 0 ? 0 : (size_t)col;
    s->in_cols = hz->schema_count(in);
    int rc = hzs_schema_copy(c, in, out) != 0 || col < 0 ? -1 : 0;

    s->dest = s->col;
    const hz_value *output = hz->option(c, "output");
    if (output && col >= 0) {
        long i = hzs_schema_output(c, out, hz->value_string(output), output);
        if (i < 0) rc = -1;
        s->dest = i < 0 ? 0 : (size_t)i;
    }
    s->year = -1;
    const hz_value *year = hz->option(c, "year_column");
    if (year && col >= 0) {
        const char *name = hz->value_string(year);
        if (!strcmp(name, s->column) || (output && !strcmp(name, hz->value_string(output)))) {
            hz->config_error(c, year, "year_column '%s' would overwrite the date itself: name another column",
                             name);
            rc = -1;
        } else if ((s->year = hzs_schema_output(c, out, name, year)) < 0) {
            rc = -1;
        }
    }

    const hz_value *list = hz->option(c, "formats");
    s->nformats = hz->value_count(list);
    if (s->nformats == 0) {
        hz->config_error(c, list, "'formats' is empty: give at least one, e.g. [\"%%d.%%m.%%Y\"]");
        return -1;
    }
    s->formats = hz->xcalloc(s->nformats, sizeof *s->formats);
    hzs_buf tried = {0};
    for (size_t k = 0; k < s->nformats; k++) {
        const hz_value *item = hz->value_item(list, k);
        s->formats[k].text = hz->value_string(item);
        if (compile(c, item, &s->formats[k]) != 0) rc = -1;
        hzs_buf_printf(&tried, "%s%s", k ? ", " : "", s->formats[k].text);
    }
    s->tried = hzs_buf_take(&tried);
    return rc;
}

static int date_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    const date_state *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *src = in->fields + r * in->ncols;
        hz_field cell = src[s->col];
        const char *p = cell.ptr, *end = cell.ptr + cell.len;
        while (p < end && is_space(*p)) p++;
        while (end > p && is_space(end[-1])) end--;
        hz_field date = {p, 0};
        if (p == end) {
            if (s->required) {
                hz->reject(c, in, r, "invalid_date", "column '%s' is empty (required: false keeps it empty)",
                           s->column);
                continue;
            }
        } else {
            char why[64] = "";
            const char *why_format = NULL;
            int y = 0, m = 0, d = 0;
            match result = NO_MATCH;
            size_t k = 0;
            for (; k < s->nformats && result != DATE_OK; k++) {
                char reason[64];
                result = parse(&s->formats[k], p, end, &y, &m, &d, reason, sizeof reason);
                if (result == BAD_DATE && !why_format) {
                    memcpy(why, reason, sizeof why);
                    why_format = s->formats[k].text;
                }
            }
            if (result != DATE_OK) {
                int shown = hz_detail_clip(cell.ptr, cell.len);
                const char *more = cell.len > HZ_DETAIL_MAX ? "..." : "";
                if (why_format)
                    hz->reject(c, in, r, "invalid_date",
                               "column '%s': '%.*s%s' is not a valid date (formats tried: %s; with %s: %s)",
                               s->column, shown, cell.ptr, more, s->tried, why_format, why);
                else
                    hz->reject(c, in, r, "invalid_date",
                               "column '%s': '%.*s%s' is not a valid date (formats tried: %s)", s->column,
                               shown, cell.ptr, more, s->tried);
                continue;
            }
            if (s->formats[k - 1].iso && end - p == 10) {
                /* Already YYYY-MM-DD (not 2021-1-4): point at the input, no copy. */
                date = (hz_field){p, 10};
            } else {
                char *text = hz->batch_alloc(out, 10);
                text[0] = (char)('0' + y / 1000), text[1] = (char)('0' + y / 100 % 10);
                text[2] = (char)('0' + y / 10 % 10), text[3] = (char)('0' + y % 10);
                text[4] = '-', text[5] = (char)('0' + m / 10), text[6] = (char)('0' + m % 10);
                text[7] = '-', text[8] = (char)('0' + d / 10), text[9] = (char)('0' + d % 10);
                date = (hz_field){text, 10};
            }
        }
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, src, s->in_cols * sizeof *row);
        row[s->dest] = date;
        if (s->year >= 0) row[s->year] = (hz_field){date.ptr, date.len ? 4 : 0};
    }
    return 0;
}

static void date_destroy(void *self) {
    date_state *s = self;
    for (size_t k = 0; s->formats && k < s->nformats; k++) free(s->formats[k].ops);
    free(s->formats);
    free(s->tried);
    free(s);
}

static const hz_transform_class date_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "parses a date in one of the given formats and writes it as YYYY-MM-DD",
    HZ_OPTIONS(date_options),
    .create = date_create,
    .plan = date_plan,
    .process = date_process,
    .destroy = date_destroy,
};

static const hz_plugin date_plugin = {
    HZ_PLUGIN_INIT,
    .name = "date",
    .version = "1.0.0",
    .description = "parse dates into ISO 8601",
    .transform = &date_transform,
};

HZ_PLUGIN(date_plugin)
