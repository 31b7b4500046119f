/* The csv source: RFC 4180 through libcsv, streamed block by block.
 *
 * libcsv hands over one field at a time (field_done) and then the end of
 * the record (record_done).  Fields are collected in a scratch buffer
 * that is reused for every record; a complete, valid record is copied
 * into the batch in one piece.  Physical line numbers are counted from
 * the row terminators libcsv reports (CSV_REPALL_NL reports every one, so
 * blank lines and CRLF are accounted) plus the line breaks inside quoted
 * fields. */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_plugin.h"
#include "text.h"

#define host csv_host

/* libcsv's parser states; private to libcsv.c but part of struct
 * csv_parser's meaning since 3.0.  Needed to see an unterminated quote. */
enum { LIBCSV_FIELD_BEGUN = 2 };

/* Read size: small enough that a block's rows fit one batch or two. */
#define BLOCK_SIZE (64 * 1024)

typedef enum { ENC_UTF8, ENC_WINDOWS_1252, ENC_ISO_8859_1 } encoding;

typedef enum { BAD_NONE, BAD_UTF8, BAD_CHARSET, BAD_UNTERMINATED } bad_kind;

typedef struct field_span {
    size_t offset, len;
} field_span;

typedef struct csv_source {
    hz_component *c;
    const char *path;
    unsigned char delimiter, quote;
    encoding enc;
    int64_t max_field_bytes;
    char **names; /* the columns, as planned */
    size_t ncols;
    uint32_t feed;

    FILE *f;
    struct csv_parser parser;
    bool parser_ready, first_block, eof;
    iconv_t cd;
    unsigned char *block;

    /* the record being assembled */
    char *scratch;
    size_t scratch_len, scratch_cap;
    field_span *spans;
    size_t nfields, spans_cap;
    uint64_t breaks_in_record; /* line breaks inside its quoted fields */
    bad_kind bad;              /* the record's first problem */
    size_t bad_field, bad_byte;

    uint64_t line;  /* physical line where the next record starts */
    int last_term;  /* terminator of the previous row end, for CRLF */
    bool skip_next; /* the next record is the header */
    hz_batch *out;  /* filled during csv_parse */

    /* plan(): the header record, captured */
    bool capture_header, header_seen;
    char **header_names;
    size_t nheader;
} csv_source;

static const hz_option source_options[] = {
    {"path", HZ_OPT_PATH, NULL, true, "the CSV file to read", NULL},
    {"delimiter", HZ_OPT_STRING, ",", false, "field separator, one character (\"\\t\" for a tab)", NULL},
    {"quote", HZ_OPT_STRING, "\"", false, "quote character, one character", NULL},
    {"encoding", HZ_OPT_ENUM, "utf-8", false, "character encoding of the file; converted to UTF-8",
     "utf-8|windows-1252|iso-8859-1"},
    {"header", HZ_OPT_BOOL, "true", false, "the first record holds the column names", NULL},
    {"columns", HZ_OPT_LIST, NULL, false,
     "column names (required with header: false; with a header they replace its names)", NULL},
    {"max_field_bytes", HZ_OPT_INT, "16777216", false,
     "a longer field fails the run (an unclosed quote would otherwise swallow the file)", NULL},
    {0},
};

static int never_space(unsigned char c) {
    (void)c;
    return 0; /* whitespace is data: keep it exactly as it is */
}

static void *scratch_grow(void *p, size_t *cap, size_t need, size_t elem) {
    size_t n = *cap ? *cap : 64;
    while (n < need) n *= 2;
    void *q = realloc(p, n * elem);
    if (!q) {
        fputs("harmonize: csv: out of memory\n", stderr);
        abort();
    }
    *cap = n;
    return q;
}

static void mark_bad(csv_source *s, bad_kind kind, size_t byte) {
    if (s->bad) return; /* the first problem of a record is the one reported */
    s->bad = kind;
    s->bad_field = s->nfields;
    s->bad_byte = byte;
}

/* Append the field's bytes, converted to UTF-8, to the scratch buffer. */
static void store_field(csv_source *s, const unsigned char *p, size_t len) {
    size_t room = s->enc == ENC_UTF8 ? len : len * 3;
    if (s->scratch_len + room > s->scratch_cap)
        s->scratch = scratch_grow(s->scratch, &s->scratch_cap, s->scratch_len + room, 1);
    char *dst = s->scratch + s->scratch_len;
    size_t written = len;
    int found = text_copy_scan(dst, p, len);
    if (!(found & TEXT_HIGH)) {
        /* ASCII: copied, nothing to check */
    } else if (s->enc == ENC_UTF8) {
        size_t bad = text_utf8_invalid_at(p, len);
        if (bad < len) mark_bad(s, BAD_UTF8, bad + 1);
    } else {
        char *in = (char *)p, *out = dst;
        size_t in_left = len, out_left = room;
        iconv(s->cd, NULL, NULL, NULL, NULL);
        if (iconv(s->cd, &in, &in_left, &out, &out_left) == (size_t)-1) {
            mark_bad(s, BAD_CHARSET, (size_t)(in - (char *)p) + 1);
            memcpy(dst, p, len);
        } else {
            written = room - out_left;
        }
    }
    /* Unquoted fields cannot hold CR or LF, so any here came inside
     * quotes and moves the physical line. */
    for (size_t i = 0; (found & TEXT_BREAK) && i < written; i++) {
        char ch = dst[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 == written || dst[i + 1] != '\n'))) s->breaks_in_record++;
    }
    if (s->nfields == s->spans_cap)
        s->spans = scratch_grow(s->spans, &s->spans_cap, s->nfields + 1, sizeof *s->spans);
    s->spans[s->nfields++] = (field_span){s->scratch_len, written};
    s->scratch_len += written;
}

static void field_done(void *data, size_t len, void *self) {
    csv_source *s = self;
    store_field(s, data ? data : (const unsigned char *)"", data ? len : 0);
}

static void reset_record(csv_source *s) {
    s->nfields = 0;
    s->scratch_len = 0;
    s->breaks_in_record = 0;
    s->bad = BAD_NONE;
}

static void capture_header(csv_source *s) {
    s->header_names = calloc(s->nfields, sizeof *s->header_names);
    s->nheader = s->nfields;
    for (size_t i = 0; i < s->nfields; i++) {
        s->header_names[i] = malloc(s->spans[i].len + 1);
        memcpy(s->header_names[i], s->scratch + s->spans[i].offset, s->spans[i].len);
        s->header_names[i][s->spans[i].len] = '\0';
    }
    s->header_seen = true;
}

static const char *column_name(const csv_source *s, size_t i) {
    return i < s->ncols ? s->names[i] : "?";
}

static void reject_record(csv_source *s, hz_origin origin) {
    hz_field *raw = malloc((s->nfields ? s->nfields : 1) * sizeof *raw);
    if (!raw) abort();
    for (size_t i = 0; i < s->nfields; i++)
        raw[i] = (hz_field){s->scratch + s->spans[i].offset, s->spans[i].len};
    size_t f = s->bad_field;
    switch (s->bad) {
    case BAD_UTF8:
        host->reject_fields(s->c, origin, raw, s->nfields, "invalid_encoding",
                            "column '%s' (field %zu): invalid UTF-8 at byte %zu", column_name(s, f), f + 1,
                            s->bad_byte);
        break;
    case BAD_CHARSET:
        host->reject_fields(s->c, origin, raw, s->nfields, "invalid_encoding",
                            "column '%s' (field %zu): byte %zu is not a character of %s", column_name(s, f),
                            f + 1, s->bad_byte, host->opt_string(s->c, "encoding"));
        break;
    case BAD_UNTERMINATED:
        host->reject_fields(s->c, origin, raw, s->nfields, "malformed_row",
                            "field %zu: quoted field not closed before the end of the file", f + 1);
        break;
    case BAD_NONE:
        host->reject_fields(s->c, origin, raw, s->nfields, "malformed_row", "expected %zu fields, found %zu",
                            s->ncols, s->nfields);
        break;
    }
    free(raw);
}

static void emit_record(csv_source *s, hz_origin origin) {
    if (s->bad || s->nfields != s->ncols) {
        reject_record(s, origin);
        return;
    }
    hz_field *row = host->batch_add_row(s->out, origin);
    char *base = host->batch_alloc(s->out, s->scratch_len);
    memcpy(base, s->scratch, s->scratch_len);
    for (size_t i = 0; i < s->nfields; i++) row[i] = (hz_field){base + s->spans[i].offset, s->spans[i].len};
}

static void record_done(int term, void *self) {
    csv_source *s = self;
    if (s->nfields == 0) {
        /* libcsv reports every line break outside a record (CSV_REPALL_NL):
         * the LF of a CRLF, a blank line, or nothing at the end (-1). */
        if (term == -1 || (term == '\n' && s->last_term == '\r')) {
            s->last_term = 0;
            return;
        }
        s->line++;
        s->last_term = term;
        return;
    }
    hz_origin origin = {s->line, s->feed, 0};
    s->line += s->breaks_in_record + (term == -1 ? 0 : 1);
    s->last_term = term;
    if (s->capture_header) {
        if (!s->header_seen) capture_header(s);
    } else if (s->skip_next) {
        s->skip_next = false;
    } else {
        emit_record(s, origin);
    }
    reset_record(s);
}

static int open_input(csv_source *s) {
    s->f = fopen(s->path, "rb");
    if (!s->f) {
        host->error(s->c, "cannot open %s: %s", s->path, strerror(errno));
        return -1;
    }
    if (csv_init(&s->parser, CSV_REPALL_NL) != 0) {
        host->error(s->c, "cannot start the CSV parser");
        return -1;
    }
    s->parser_ready = true;
    csv_set_space_func(&s->parser, never_space);
    csv_set_delim(&s->parser, s->delimiter);
    csv_set_quote(&s->parser, s->quote);
    s->first_block = true;
    s->eof = false;
    s->line = 1;
    s->last_term = 0;
    reset_record(s);
    return 0;
}

static void close_input(csv_source *s) {
    if (s->parser_ready) csv_free(&s->parser);
    s->parser_ready = false;
    if (s->f) fclose(s->f);
    s->f = NULL;
}

/* Parse one block; at the end of the file, flush the last record. */
static int parse_block(csv_source *s) {
    size_t n = fread(s->block, 1, BLOCK_SIZE, s->f);
    unsigned char *p = s->block;
    if (n == 0) {
        if (ferror(s->f)) {
            host->error(s->c, "cannot read %s: %s", s->path, strerror(errno));
            return -1;
        }
        s->eof = true;
        if (s->parser.pstate == LIBCSV_FIELD_BEGUN && s->parser.quoted) mark_bad(s, BAD_UNTERMINATED, 0);
        csv_fini(&s->parser, field_done, record_done, s);
        return 0;
    }
    if (s->first_block) {
        s->first_block = false;
        if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3, n -= 3; /* UTF-8 BOM */
    }
    if (csv_parse(&s->parser, p, n, field_done, record_done, s) != n) {
        host->error(s->c, "%s: %s", s->path, csv_strerror(csv_error(&s->parser)));
        return -1;
    }
    if ((int64_t)s->parser.entry_pos > s->max_field_bytes) {
        host->error(
            s->c,
            "%s: a field starting on line %llu is longer than max_field_bytes (%lld): an unclosed quote?",
            s->path, (unsigned long long)s->line, (long long)s->max_field_bytes);
        return -1;
    }
    return 0;
}

static int source_create(hz_component *c, void **self) {
    csv_source *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *self = s;
    s->c = c;
    s->cd = (iconv_t)-1;
    s->path = host->opt_path(c, "path");
    s->max_field_bytes = host->opt_int(c, "max_field_bytes");
    int rc = 0;
    if (csv_byte_option(c, "delimiter", &s->delimiter) || csv_byte_option(c, "quote", &s->quote)) rc = -1;
    if (rc == 0 && s->delimiter == s->quote) {
        host->config_error(c, host->option(c, "quote"), "the quote and the delimiter must differ");
        rc = -1;
    }
    const char *enc = host->opt_string(c, "encoding");
    s->enc = !strcmp(enc, "windows-1252") ? ENC_WINDOWS_1252
             : !strcmp(enc, "iso-8859-1") ? ENC_ISO_8859_1
                                          : ENC_UTF8;
    if (s->enc != ENC_UTF8) {
        s->cd = iconv_open("UTF-8", s->enc == ENC_WINDOWS_1252 ? "WINDOWS-1252" : "ISO-8859-1");
        if (s->cd == (iconv_t)-1) {
            host->config_error(c, host->option(c, "encoding"), "this system's iconv cannot convert from %s",
                               enc);
            rc = -1;
        }
    }
    bool header = host->opt_bool(c, "header");
    s->header_seen = false;
    s->capture_header = header;
    if (!header && !host->option(c, "columns")) {
        host->config_error(c, host->option(c, "header"), "with 'header: false', list the names in 'columns'");
        rc = -1;
    }
    s->block = malloc(BLOCK_SIZE);
    if (!s->block) return -1;
    return rc;
}

/* Read records up to the header (and no further). */
static int read_header(csv_source *s) {
    s->capture_header = true;
    if (open_input(s) != 0) return -1;
    while (!s->header_seen && !s->eof)
        if (parse_block(s) != 0) break;
    close_input(s);
    s->capture_header = false;
    if (!s->header_seen) {
        host->error(s->c, "%s has no header row (the file is empty)", s->path);
        return -1;
    }
    return 0;
}

static int source_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    csv_source *s = self;
    bool header = host->opt_bool(c, "header");
    s->feed = host->feed(c, s->path);
    if (header && read_header(s) != 0) return -1;
    const hz_value *columns = host->option(c, "columns");
    const hz_value *path_value = host->option(c, "path");
    int rc = 0;
    if (columns) {
        size_t n = host->value_count(columns);
        if (header && n != s->nheader) {
            host->config_error(c, columns, "'columns' lists %zu names but the header of %s has %zu fields", n,
                               s->path, s->nheader);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            const hz_value *item = host->value_item(columns, i);
            if (host->schema_add(c, out, host->value_string(item), item) != 0) rc = -1;
        }
    } else {
        for (size_t i = 0; i < s->nheader; i++) {
            if (!s->header_names[i][0]) {
                host->config_error(c, path_value,
                                   "column %zu of the header of %s has no name: name it with 'columns'",
                                   i + 1, s->path);
                rc = -1;
            } else if (host->schema_add(c, out, s->header_names[i], path_value) != 0) {
                rc = -1;
            }
        }
    }
    s->ncols = host->schema_count(out);
    s->names = calloc(s->ncols ? s->ncols : 1, sizeof *s->names);
    if (!s->names) return -1;
    for (size_t i = 0; i < s->ncols; i++) s->names[i] = strdup(host->schema_name(out, i));
    return rc;
}

static int source_read(hz_component *c, void *self, hz_batch *out) {
    (void)c;
    csv_source *s = self;
    if (!s->f) {
        if (s->eof) return 0;
        if (open_input(s) != 0) return -1;
        s->skip_next = host->opt_bool(s->c, "header");
    }
    s->out = out;
    while (out->nrows < out->capacity && !s->eof)
        if (parse_block(s) != 0) return -1;
    s->out = NULL;
    if (s->eof) {
        close_input(s);
        return 0;
    }
    return 1;
}

static void source_destroy(void *self) {
    csv_source *s = self;
    close_input(s);
    if (s->cd != (iconv_t)-1) iconv_close(s->cd);
    for (size_t i = 0; i < s->nheader; i++) free(s->header_names[i]);
    for (size_t i = 0; s->names && i < s->ncols; i++) free(s->names[i]);
    free(s->names);
    free(s->header_names);
    free(s->block);
    free(s->scratch);
    free(s->spans);
    free(s);
}

const hz_source_class csv_source_class = {
    .doc = "reads an RFC 4180 CSV file (quoted fields, CRLF or LF, BOM stripped, whitespace kept)",
    .options = source_options,
    .create = source_create,
    .plan = source_plan,
    .read = source_read,
    .destroy = source_destroy,
};
