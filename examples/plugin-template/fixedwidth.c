/*
 * fixedwidth: a harmonize SOURCE plugin for fixed-width text exports.
 *
 * Many legacy case-management systems export one record per line, each
 * field at fixed byte positions and padded with spaces:
 *
 *     NE0000012021-01-14Guinea                27 F
 *     NE0000022021-01-14Côte d'Ivoire         34 M
 *     ^1      ^9        ^19                   ^41^44
 *
 * The pipeline says where each field is:
 *
 *     sources:
 *       niamey:
 *         type: fixedwidth
 *         path: sample/returns.txt
 *         columns: {case_id: 1-8, departure: 9-18, origin: 19-40, age: 41-43, sex: 44}
 *         skip_lines: 2
 *
 * THIS FILE IS A TEMPLATE.  A country office with a new export format
 * copies this folder, renames the plugin (PLUGIN_NAME below, the file, the
 * Makefile target) and rewrites plan() and parse_line().  Everything else
 * (the entry point, the option table, streaming into batches, provenance,
 * rejects, clean-up) is the same for every source.
 *
 * Build it against the installed header, outside the harmonize tree:
 *
 *     cc -shared -fPIC $(pkg-config --cflags harmonize) -o fixedwidth.so fixedwidth.c
 *
 * Nothing here links against the harmonize executable: every call into
 * the core goes through `hz`, the table handed to the entry point, so the
 * plugin also builds with -Wl,-z,defs (no undefined symbols) and keeps
 * working with newer harmonize releases of the same ABI major.
 *
 * The input must be UTF-8.  A line that is not is rejected with the reason
 * `invalid_encoding` (convert a Windows-1252 export first, e.g.
 * `iconv -f WINDOWS-1252 -t UTF-8`).  Positions count BYTES, not
 * characters: "Côte d'Ivoire" takes 14 bytes, so an export padded by
 * characters does not line up; a column boundary falling inside a
 * character is reported (see parse_line()).
 */

/* getline() is POSIX, not C11: ask for it explicitly so the file builds
 * with -std=c11 as well as with the compiler's default dialect. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <harmonize/plugin.h>

/* The `type:` users write in the pipeline.  [a-z0-9_]+ only: the loader
 * refuses anything else. */
#define PLUGIN_NAME "fixedwidth"

/* No real export has lines this wide; a bigger number in `columns` is a
 * typo, and refusing it keeps one line from costing megabytes per row. */
#define MAX_POSITION 100000

/* The core's function table is `hz`: HZ_PLUGIN (at the end of this file)
 * defines it and the entry point that sets it, once, when the plugin is
 * loaded.  Never call the core any other way.
 *
 * Memory: allocate with hz->xmalloc, xcalloc, xrealloc and xstrdup and
 * release with free().  They never return NULL (when memory runs out the
 * core says so and ends the run), so there is no out-of-memory path to
 * write. */

/* One output column: bytes [start, end) of the line, 0-based. */
typedef struct fw_column {
    const char *name; /* points into the option value: lives as long as the component */
    size_t start, end;
} fw_column;

/* Per-component state.  One pipeline may use this plugin for several
 * sources (one per country office), so nothing may be global except
 * `hz`: everything lives here, made by create(), freed by destroy(). */
typedef struct fixedwidth {
    hz_component *c;
    const char *path;   /* absolute; resolved and owned by the core */
    const char *shown;  /* the path as messages show it */
    bool trim;          /* strip trailing padding spaces */
    int64_t skip_lines; /* header lines at the top */

    fw_column *cols;
    size_t ncols;
    size_t need; /* a line must have at least this many bytes */

    uint32_t feed; /* provenance id from hz->feed() */

    FILE *f;       /* open only between the first and the last read() */
    bool finished; /* reached the end of the file */
    uint64_t line; /* physical lines read so far: the next one is line + 1 */
    char *buf;     /* getline()'s buffer, reused for every line */
    size_t bufsize;
    uint64_t skipped, blank; /* for the run summary */
} fixedwidth;

/* ------------------------------------------------------------------ */
/* Options.                                                            */

/* The core checks every option against this table before the plugin sees
 * it: unknown names (with a did-you-mean), wrong types, missing required
 * ones, all reported at their line and column in the YAML.  So create()
 * and plan() only check what the table cannot express (a range's syntax,
 * a negative count).  `harmonize plugins fixedwidth` prints this table:
 * the `doc` strings are the user's documentation, keep them exact. */
static const hz_option fixedwidth_options[] = {
    /* HZ_OPT_PATH: a relative path is resolved against the folder of the
     * pipeline file, not the current directory, so cron jobs work. */
    {.name = "path",
     .type = HZ_OPT_PATH,
     .required = true,
     .doc = "the export to read (UTF-8), relative to the pipeline's folder"},
    /* HZ_OPT_MAP: the core guarantees a map of scalars; the values' syntax
     * is ours to check, in plan(). */
    {.name = "columns",
     .type = HZ_OPT_MAP,
     .required = true,
     .doc = "column name -> START-END byte positions, 1-based and inclusive, e.g. {case_id: 1-8}"},
    /* Defaults are text, parsed like a value written in the YAML. */
    {.name = "trim",
     .type = HZ_OPT_BOOL,
     .default_value = "true",
     .doc = "strip the trailing spaces that pad each field"},
    {.name = "skip_lines",
     .type = HZ_OPT_INT,
     .default_value = "0",
     .doc = "lines to skip at the top of the file (titles, headers)"},
    {0}, /* the table ends with an entry whose name is NULL */
};

/* ------------------------------------------------------------------ */
/* create: read the scalar options, allocate the state.                */
/* Called for run, validate and --dry-run alike, only when every option */
/* passed the table's checks.  Must not read the input.                 */

static int fixedwidth_create(hz_component *c, void **self) {
    fixedwidth *s = hz->xcalloc(1, sizeof *s);
    /* Hand the state over at once: whatever happens next, the core calls
     * destroy() on it, so there is one clean-up path. */
    *self = s;
    s->c = c;
    s->path = hz->opt_path(c, "path");
    /* Relative to the pipeline's folder when it is inside it: the same
     * spelling the rejects file uses for the feed. */
    s->shown = hz->display_path(c, s->path);
    s->trim = hz->opt_bool(c, "trim");
    s->skip_lines = hz->opt_int(c, "skip_lines");
    /* Values are checked in plan(), not here: after a configuration error
     * in create() the core does not call plan(), so the user would see
     * one mistake per attempt instead of all of them at once. */
    return 0;
}

/* ------------------------------------------------------------------ */
/* plan: declare the output columns.                                   */
/* Called after create() for run, validate and --dry-run.  A source gets */
/* in == NULL.  This is where configuration mistakes that need thought  */
/* are reported, so that `harmonize validate` finds them before a       */
/* nightly run reads any data.  It may open the input (to read a header, */
/* or to say early that it is missing) but must not read data rows.     */

/* Digits at *p, as a number (saturating past MAX_POSITION); advances *p.
 * Returns false if there is no digit. */
static bool parse_position(const char **p, unsigned long *out) {
    const char *q = *p;
    unsigned long n = 0;
    for (; *q >= '0' && *q <= '9'; q++)
        if (n <= MAX_POSITION) n = n * 10 + (unsigned long)(*q - '0');
    if (q == *p) return false;
    *p = q;
    *out = n;
    return true;
}

/* "START-END" (or "N", a one-byte column) into 0-based [start, end).
 * Returns false if the text is not a range in bounds. */
static bool parse_range(const char *text, size_t *start, size_t *end) {
    unsigned long a, b;
    const char *p = text;
    while (*p == ' ') p++;
    if (!parse_position(&p, &a)) return false;
    while (*p == ' ') p++;
    if (*p == '-') {
        p++;
        while (*p == ' ') p++;
        if (!parse_position(&p, &b)) return false;
        while (*p == ' ') p++;
    } else {
        b = a;
    }
    if (*p || a == 0 || b < a || b > MAX_POSITION) return false;
    *start = (size_t)a - 1; /* 1-based inclusive -> 0-based half-open */
    *end = (size_t)b;
    return true;
}

static int fixedwidth_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in; /* a source has no input */
    fixedwidth *s = self;
    /* Check everything, not just up to the first mistake: the user fixes
     * them all in one edit instead of one per run. */
    int rc = 0;
    if (s->skip_lines < 0) {
        /* Report AT the value: the user sees pipeline.yaml:LINE:COL. */
        hz->config_error(c, hz->option(c, "skip_lines"), "'skip_lines' must be 0 or more, not %lld",
                         (long long)s->skip_lines);
        rc = -1;
    }
    const hz_value *map = hz->option(c, "columns");
    size_t n = hz->value_count(map);
    if (n == 0) {
        hz->config_error(c, map, "'columns' must name at least one column, e.g. {case_id: 1-8}");
        return -1;
    }
    s->cols = hz->xcalloc(n, sizeof *s->cols);
    for (size_t i = 0; i < n; i++) {
        const hz_value *key = hz->value_key(map, i);
        const hz_value *value = hz->value_item(map, i);
        const char *name = hz->value_string(key);
        const char *text = hz->value_string(value);
        size_t start, end;
        if (!parse_range(text, &start, &end)) {
            hz->config_error(c, value,
                             "column '%s': '%s' is not a byte range: write START-END, 1-based and "
                             "inclusive, with START <= END <= %d (e.g. 9-18)",
                             name, text, MAX_POSITION);
            rc = -1;
            continue;
        }
        /* Overlapping ranges are almost always a typo (9-18 then 18-40),
         * and a typo here silently shifts every value of a column. */
        for (size_t k = 0; k < s->ncols; k++)
            if (start < s->cols[k].end && s->cols[k].start < end) {
                hz->config_error(c, value, "column '%s' (bytes %zu-%zu) overlaps column '%s' (bytes %zu-%zu)",
                                 name, start + 1, end, s->cols[k].name, s->cols[k].start + 1, s->cols[k].end);
                rc = -1;
            }
        /* schema_add reports an empty or duplicate name itself, at `key`. */
        if (hz->schema_add(c, out, name, key) != 0) rc = -1;
        s->cols[s->ncols++] = (fw_column){name, start, end};
        if (end > s->need) s->need = end;
    }

    /* Register the file for provenance: every row and every reject
     * carries this id, and the rejects file shows it as the file name. */
    s->feed = hz->feed(c, s->path);

    /* Open the file once, without reading it, so that `validate`,
     * --dry-run and `run` all refuse a missing feed before the run starts.
     * A configuration error (exit 2 whatever the command) at the `path:`
     * value, with the path as written and as resolved, in the words of
     * the bundled sources. */
    FILE *f = fopen(s->path, "rb");
    struct stat st;
    if (!f) {
        hz->config_error(c, hz->option(c, "path"), "source '%s' cannot open feed '%s' (%s): %s",
                         hz->component_name(c), hz->opt_string(c, "path"), s->path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        hz->config_error(c, hz->option(c, "path"),
                         "source '%s' cannot open feed '%s' (%s): it is a folder, "
                         "not an export file",
                         hz->component_name(c), hz->opt_string(c, "path"), s->path);
        rc = -1;
    }
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------------ */
/* read: stream rows into batches.  Called only by `run`.               */

/* Offset of the first byte that is not part of valid UTF-8, or n.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_check(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char b = p[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (!len || i + len > n) return i;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80) return i;
        /* the second byte's range rules out overlongs and surrogates */
        if ((b == 0xE0 && p[i + 1] < 0xA0) || (b == 0xED && p[i + 1] > 0x9F) ||
            (b == 0xF0 && p[i + 1] < 0x90) || (b == 0xF4 && p[i + 1] > 0x8F))
            return i;
        i += len;
    }
    return n;
}

/* A UTF-8 continuation byte: a column starting or ending just before one
 * cuts a character in two. */
static bool continuation(unsigned char b) {
    return (b & 0xC0) == 0x80;
}

/* Turn one line (without its line break) into a row of `out`, or reject
 * it.  This is the function to rewrite for another format. */
static void parse_line(fixedwidth *s, hz_batch *out, const char *text, size_t len) {
    /* Provenance: the physical line the record starts on (1-based, header
     * and blank lines counted) and the feed.  The rejects file and every
     * downstream reject point the user at exactly this line. */
    hz_origin origin = {s->line, s->feed, 0};
    /* A rejected line is passed whole, as one field: the rejects file then
     * shows the user the line as it was (invalid bytes as \xNN). */
    hz_field raw = {text, len};

    /* Nothing is dropped silently: every line that is not a row is
     * rejected with a reason code ([a-z_]+, counted by the people who read
     * the rejects file, so reuse existing codes) and a detail that says
     * what to fix.  The run goes on; max_rejects decides when to stop. */
    size_t bad = utf8_check((const unsigned char *)text, len);
    if (bad < len) {
        hz->reject_fields(s->c, origin, &raw, 1, "invalid_encoding",
                          "byte %zu is not UTF-8: the export must be UTF-8 (convert it first, e.g. "
                          "iconv -f WINDOWS-1252 -t UTF-8)",
                          bad + 1);
        return;
    }
    if (len < s->need) {
        hz->reject_fields(s->c, origin, &raw, 1, "malformed_row", "line is %zu bytes, columns need %zu", len,
                          s->need);
        return;
    }
    for (size_t j = 0; j < s->ncols; j++) {
        const fw_column *col = &s->cols[j];
        if (continuation((unsigned char)text[col->start]) ||
            (col->end < len && continuation((unsigned char)text[col->end]))) {
            hz->reject_fields(s->c, origin, &raw, 1, "malformed_row",
                              "column '%s' (bytes %zu-%zu) cuts a character in two: does the export pad "
                              "by characters rather than bytes?",
                              col->name, col->start + 1, col->end);
            return;
        }
    }

    /* The line buffer is reused for the next line, but a batch's fields
     * must stay valid until everything downstream has seen them: copy the
     * bytes into memory owned by the batch.  One batch_alloc per row (an
     * arena, freed with the batch), not one malloc per field. */
    char *copy = hz->batch_alloc(out, s->need);
    memcpy(copy, text, s->need);
    hz_field *row = hz->batch_add_row(out, origin); /* ncols empty fields */
    for (size_t j = 0; j < s->ncols; j++) {
        size_t start = s->cols[j].start, end = s->cols[j].end;
        if (s->trim)
            while (end > start && copy[end - 1] == ' ') end--;
        /* A field is a view: pointer and length, no NUL terminator. */
        row[j] = (hz_field){copy + start, end - start};
    }
}

static bool is_blank(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\t') return false;
    return true;
}

static void say_what_was_skipped(fixedwidth *s) {
    /* The run summary accounts for every line: rows + rejects + these. */
    if (s->skipped || s->blank)
        hz->summary_note(s->c, "%s: %llu header line%s and %llu blank line%s skipped", s->shown,
                         (unsigned long long)s->skipped, s->skipped == 1 ? "" : "s",
                         (unsigned long long)s->blank, s->blank == 1 ? "" : "s");
}

static int fixedwidth_read(hz_component *c, void *self, hz_batch *out) {
    fixedwidth *s = self;
    if (s->finished) return 0;
    if (!s->f) {
        /* Opened on the first read, not in create() or plan(): validate
         * and --dry-run never call read(), so they never hold the file. */
        s->f = fopen(s->path, "rb");
        if (!s->f) {
            hz->error(c, "cannot open %s: %s", s->shown, strerror(errno));
            return -1;
        }
    }

    /* `out` arrives empty.  Fill it up to out->capacity rows, then return
     * so the batch flows downstream: memory stays at one batch whatever
     * the size of the file.  Also stop after `capacity` lines even when
     * most were rejected, so that the core gets control back regularly
     * (it stops the run between two read() calls, e.g. past max_rejects
     * or on Ctrl-C). */
    for (size_t lines = 0; out->nrows < out->capacity && lines < out->capacity; lines++) {
        errno = 0;
        ssize_t got = getline(&s->buf, &s->bufsize, s->f);
        if (got < 0) {
            if (ferror(s->f)) {
                /* A run-time failure: report it, return -1.  The run exits
                 * 1 and no sink publishes anything. */
                hz->error(c, "cannot read %s after line %llu: %s", s->shown, (unsigned long long)s->line,
                          strerror(errno ? errno : EIO));
                return -1;
            }
            fclose(s->f);
            s->f = NULL;
            s->finished = true;
            say_what_was_skipped(s);
            return 0; /* the end: rows added in this call are still delivered */
        }
        s->line++;
        size_t len = (size_t)got;
        const char *text = s->buf;
        /* LF or CRLF: exports from Windows systems end lines with CRLF. */
        if (len && text[len - 1] == '\n') len--;
        if (len && text[len - 1] == '\r') len--;
        /* A UTF-8 byte order mark would shift every column of line 1. */
        if (s->line == 1 && len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) text += 3, len -= 3;
        if (s->line <= (uint64_t)s->skip_lines) {
            s->skipped++;
            continue;
        }
        if (is_blank(text, len)) {
            s->blank++;
            continue;
        }
        parse_line(s, out, text, len);
    }
    return 1; /* more may follow */
}

/* ------------------------------------------------------------------ */
/* destroy: free everything.  Called once for every successful or      */
/* failed create() (also for validate and --dry-run, and after a failed */
/* run), with the pointer create() stored in *self.                     */

static void fixedwidth_destroy(void *self) {
    fixedwidth *s = self;
    if (s->f) fclose(s->f);
    free(s->buf);
    free(s->cols);
    free(s);
}

/* ------------------------------------------------------------------ */
/* The descriptor and the entry point.                                 */

static const hz_source_class fixedwidth_source = {
    HZ_CLASS_INIT(hz_source_class),
    .doc = "reads a fixed-width UTF-8 text export: one record per line, fields at byte positions; short "
           "lines and non-UTF-8 lines are rejected, blank lines skipped",
    HZ_OPTIONS(fixedwidth_options),
    .create = fixedwidth_create,
    .plan = fixedwidth_plan,
    .read = fixedwidth_read,
    .destroy = fixedwidth_destroy,
};

static const hz_plugin fixedwidth_plugin = {
    /* The ABI this file was compiled against, taken from the header.  The
     * loader refuses another major; a newer minor of the core keeps
     * loading plugins built against an older one. */
    HZ_PLUGIN_INIT,
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .description = "fixed-width text exports of legacy case-management systems",
    .source = &fixedwidth_source, /* a source only: no transform, no sink */
};

/* The one symbol the plugin exports (HZ_EXPORT); everything else above is
 * static, so two plugins can both have a function called parse_line.  The
 * core calls it once, right after loading the file, also for
 * `harmonize plugins`: it does nothing but keep the table in `hz` and
 * return the descriptor. */
HZ_PLUGIN(fixedwidth_plugin)
