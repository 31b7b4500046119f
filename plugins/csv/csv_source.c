/* The csv source: RFC 4180 through libcsv, streamed block by block.
 *
 * libcsv hands over one field at a time (field_done) and then the end of
 * the record (record_done).  Each field is copied once, straight into
 * memory owned by the batch being filled, while its bytes are classified
 * a word at a time (ASCII or not, line breaks or not): UTF-8 checks and
 * conversions run only for the rare fields that need them.  A complete
 * record becomes a row by copying its field views; a bad one is rejected
 * with the views as they are.
 *
 * Physical line numbers are counted from the row terminators libcsv
 * reports (CSV_REPALL_NL reports every one, so blank lines and CRLF are
 * accounted) plus the line breaks inside quoted fields.
 *
 * Strictness: the parser runs with CSV_STRICT so that a quote inside an
 * unquoted field (ab"c) or text after a closing quote ("ab"c) stops it at
 * the offending byte.  The record is then marked malformed, the byte is
 * taken as data and parsing resumes as an unquoted field: the bad record
 * is rejected and the file goes on, in step with the line structure. */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <support/hzs_buf.h>
#include <support/hzs_names.h>
#include <support/hzs_str.h>
#include <support/hzs_utf8.h>
#include <support/hzs_input.h>

#include "csv_plugin.h"
#include "text.h"

/* libcsv's parser states are private to libcsv.c but have kept their
 * meaning in struct csv_parser since 3.0; recovery and the unterminated
 * quote check need them. */
#if CSV_MAJOR != 3
#error "written against libcsv 3.x parser states"
#endif
enum { LIBCSV_FIELD_BEGUN = 2, LIBCSV_FIELD_MIGHT_HAVE_ENDED = 3 };

/* Bytes read and parsed per read() call.  Large enough that the calls
 * cost nothing, small enough that a block's rows (their bytes, and views
 * that take more room than the bytes) are still in the CPU's L2 cache
 * when the sink writes them: with 256 KiB blocks a simulated 512 KiB L2
 * missed 70 times more often, for the same instructions. */
#define BLOCK_SIZE (64 * 1024)
/* plan() reads and parses small slices and stops after the header, so it
 * reads no data rows beyond the slice holding the header's end (all that a
 * pipe must keep for the run to read again). */
#define PLAN_SLICE 4096
/* Field bytes are taken from the batch arena this much at a time. */
#define CHUNK_SIZE (64 * 1024)
/* libcsv grows its field buffer by this much (its default, 128 bytes,
 * makes a long field cost a realloc per 128 bytes). */
#define PARSER_GROWTH (64 * 1024)

typedef enum { ENC_UTF8, ENC_WINDOWS_1252, ENC_ISO_8859_1 } encoding;

/* The first problem found in a record, the one its reject reports. */
typedef enum { BAD_NONE, BAD_UTF8, BAD_CHARSET, BAD_STRAY_QUOTE, BAD_AFTER_QUOTE, BAD_UNTERMINATED } bad_kind;

/* Memory allocated by the source itself, for the fields read by plan(),
 * when no batch exists yet. */
typedef struct own_chunk {
    struct own_chunk *next;
    char data[];
} own_chunk;

typedef struct csv_source {
    hz_component *c;
    hzs_input in;      /* the file, or a pipe read once */
    const char *shown; /* in messages */
    unsigned char delimiter, quote;
    encoding enc;
    const char *enc_name;
    size_t expansion; /* UTF-8 bytes per input byte, at most */
    int64_t max_field_bytes;
    int64_t max_record_bytes; /* a record's bytes plus its views */
    bool header;
    const char **names; /* the columns, as planned (the schema's) */
    size_t ncols;
    uint32_t feed;

    struct csv_parser parser;
    bool parser_ready, first_block, eof;
    size_t bytes_read; /* since the parser started */
    iconv_t cd;
    unsigned char *block;

    /* where field bytes go: the free part of a chunk from the batch
     * arena (reading) or an own chunk (planning) */
    hz_batch *out;
    char *pos, *end;
    own_chunk *own;

    /* the record being assembled: views of its fields */
    hz_field *rec;
    size_t nfields, rec_cap;
    size_t rec_bytes;          /* the bytes of its fields so far */
    uint64_t breaks_in_record; /* line breaks inside its quoted fields */
    bad_kind bad;
    size_t bad_field, bad_byte;
    /* a record still open when read() returns: its fields saved here,
     * since the batch they were copied into goes downstream */
    char *carry;
    size_t carry_cap;

    uint64_t line;  /* physical line where the next record starts */
    int last_term;  /* terminator of the previous row end, for CRLF */
    bool skip_next; /* the next record is the header */

    /* plan(): the header record, captured */
    bool capture_header, header_seen;
    char **header_names;
    size_t nheader;
    bad_kind header_bad;
    size_t header_bad_field, header_bad_byte;
} csv_source;

static const hz_option source_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the CSV file to read; \"-\" is standard input (a pipe or FIFO is read once, never reopened)", NULL},
    {"delimiter", HZ_OPT_STRING, ",", false, "field separator, one byte (\"\\t\" for a tab)", NULL},
    {"quote", HZ_OPT_STRING, "\"", false, "quote character, one byte", NULL},
    {"encoding", HZ_OPT_ENUM, "utf-8", false,
     "character encoding of the file (utf8, cp1252 and latin1 are other spellings); converted to UTF-8",
     "utf-8|utf8|windows-1252|cp1252|iso-8859-1|latin1"},
    {"header", HZ_OPT_BOOL, "true", false, "the first record holds the column names (it is never a row)",
     NULL},
    {"columns", HZ_OPT_ANY, NULL, false,
     "column names; required with header: false; with a header they replace its names (same count); an "
     "entry {name: phone, pii: true} marks a column as personal data",
     NULL},
    {"max_field_bytes", HZ_OPT_INT, "16777216", false,
     "a longer field fails the run (an unclosed quote would otherwise swallow the file into memory)", NULL},
    {"max_record_bytes", HZ_OPT_INT, "33554432", false,
     "a record taking more memory (its bytes plus 16 per field) fails the run (a line of millions of "
     "delimiters would otherwise)",
     NULL},
    HZS_INPUT_OPTIONS,
    {0},
};

static int never_space(unsigned char c) {
    (void)c;
    return 0; /* whitespace is data: keep it exactly as it is */
}

/* ------------------------------------------------------------------ */
/* Field memory.                                                       */

/* At least `need` free bytes at s->pos. */
static char *room(csv_source *s, size_t need) {
    if (s->pos && (size_t)(s->end - s->pos) >= need) return s->pos;
    size_t size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
    char *p;
    if (s->out) {
        p = hz->batch_alloc(s->out, size);
    } else {
        own_chunk *o = hz->xmalloc(sizeof *o + size);
        o->next = s->own;
        s->own = o;
        p = o->data;
    }
    s->pos = p;
    s->end = p + size;
    return p;
}

static void free_own(csv_source *s) {
    while (s->own) {
        own_chunk *next = s->own->next;
        free(s->own);
        s->own = next;
    }
    s->pos = s->end = NULL;
}

/* Before read() returns, move the fields of an open record out of the
 * batch, which is about to go downstream and be reset. */
static void save_open_record(csv_source *s) {
    s->pos = s->end = NULL;
    if (s->nfields == 0) return;
    size_t total = 1;
    for (size_t i = 0; i < s->nfields; i++) total += s->rec[i].len;
    s->carry = hzs_grow(s->carry, &s->carry_cap, total, 1);
    char *p = s->carry;
    for (size_t i = 0; i < s->nfields; i++) {
        if (s->rec[i].len) memcpy(p, s->rec[i].ptr, s->rec[i].len);
        s->rec[i].ptr = p;
        p += s->rec[i].len;
    }
}

/* ...and at the next read(), into the new batch. */
static void restore_open_record(csv_source *s) {
    for (size_t i = 0; i < s->nfields; i++) {
        size_t n = s->rec[i].len;
        char *p = room(s, n);
        if (n) memcpy(p, s->rec[i].ptr, n);
        s->rec[i].ptr = p;
        s->pos += n;
    }
}

/* ------------------------------------------------------------------ */
/* libcsv callbacks.                                                   */

static void mark_bad(csv_source *s, bad_kind kind, size_t byte) {
    if (s->bad) return; /* the first problem of a record is the one reported */
    s->bad = kind;
    s->bad_field = s->nfields;
    s->bad_byte = byte;
}

/* Convert a non-ASCII field of a single-byte encoding into dst. */
static size_t convert_field(csv_source *s, char *dst, size_t room_left, const unsigned char *p, size_t len) {
    char *in = (char *)p, *o = dst;
    size_t in_left = len, out_left = room_left;
    if (iconv(s->cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
        /* 0x81 0x8D 0x8F 0x90 0x9D are no characters in windows-1252 */
        mark_bad(s, BAD_CHARSET, (size_t)(in - (const char *)p) + 1);
        iconv(s->cd, NULL, NULL, NULL, NULL);
        memcpy(dst, p, len); /* the reject shows the bytes as they were */
        return len;
    }
    return room_left - out_left;
}

/* A field copied to dst that is not plain ASCII: validate or convert it,
 * count its line breaks, then add it to the record. */
static TEXT_COLD void finish_field(csv_source *s, char *dst, const unsigned char *p, size_t len, int found) {
    size_t written = len;
    if (found & TEXT_HIGH) {
        if (s->enc == ENC_UTF8) {
            size_t bad = hzs_utf8_invalid_at(p, len);
            if (bad < len) mark_bad(s, BAD_UTF8, bad + 1);
        } else {
            written = convert_field(s, dst, len * s->expansion, p, len);
        }
    }
    /* Unquoted fields cannot hold CR or LF, so any here came inside
     * quotes and moves the physical line. */
    if (found & TEXT_BREAK) s->breaks_in_record += text_count_breaks(p, len);
    s->rec[s->nfields++] = (hz_field){dst, written};
    s->rec_bytes += written;
    s->pos = dst + written;
}

/* A field copied to dst that may not be plain ASCII: classify it (copying
 * it again, which costs nothing next to what follows) and finish it. */
static TEXT_COLD void classify_field(csv_source *s, char *dst, const unsigned char *p, size_t len) {
    finish_field(s, dst, p, len, text_copy_scan(dst, p, len));
}

/* A field when the record's views or the chunk are full: make room. */
static TEXT_COLD void store_field(csv_source *s, const unsigned char *p, size_t len) {
    s->rec = hzs_grow(s->rec, &s->rec_cap, s->nfields + 1, sizeof *s->rec);
    char *dst = room(s, len * s->expansion);
    finish_field(s, dst, p, len, text_copy_scan(dst, p, len));
}

/* libcsv's field callback, once per field of the file: the hot path.
 * With room left, the field is copied here while its bytes are checked;
 * plain ASCII is done then.  The rest (classified by copying it again,
 * which is rare) is handed on by tail calls to functions kept out of
 * line, so that this common path needs no stack frame. */
static void field_done(void *data, size_t len, void *self) {
    csv_source *s = self;
    const unsigned char *p = data;
    char *dst = s->pos;
    if (s->nfields < s->rec_cap && dst && (size_t)(s->end - dst) >= len * s->expansion) {
        if (text_copy_hint(dst, p, len) == 0) {
            s->rec[s->nfields++] = (hz_field){dst, len};
            s->rec_bytes += len;
            s->pos = dst + len;
            return;
        }
        classify_field(s, dst, p, len);
        return;
    }
    store_field(s, p, len);
}

static void reset_record(csv_source *s) {
    s->nfields = 0;
    s->rec_bytes = 0;
    s->breaks_in_record = 0;
    s->bad = BAD_NONE;
}

static TEXT_COLD void capture_header(csv_source *s) {
    s->header_names = hz->xcalloc(s->nfields, sizeof *s->header_names);
    s->nheader = s->nfields;
    for (size_t i = 0; i < s->nfields; i++) s->header_names[i] = hzs_strndup(s->rec[i].ptr, s->rec[i].len);
    s->header_bad = s->bad;
    s->header_bad_field = s->bad_field;
    s->header_bad_byte = s->bad_byte;
    s->header_seen = true;
}

static const char *column_name(const csv_source *s, size_t i) {
    return i < s->ncols ? s->names[i] : "(extra field)";
}

static TEXT_COLD void reject_record(csv_source *s, hz_origin origin) {
    const hz_field *raw = s->rec;
    size_t n = s->nfields, f = s->bad_field;
    switch (s->bad) {
    case BAD_UNTERMINATED:
        hz->reject_fields(s->c, origin, raw, n, "malformed_row",
                          "unterminated quoted field: the quote opening field %zu is not closed before the "
                          "end of the file",
                          f + 1);
        return;
    case BAD_STRAY_QUOTE:
        hz->reject_fields(s->c, origin, raw, n, "malformed_row",
                          "column '%s' (field %zu): quote character inside an unquoted field",
                          column_name(s, f), f + 1);
        return;
    case BAD_AFTER_QUOTE:
        hz->reject_fields(s->c, origin, raw, n, "malformed_row",
                          "column '%s' (field %zu): text after the closing quote", column_name(s, f), f + 1);
        return;
    default: break;
    }
    /* A wrong field count says more than an encoding problem in it. */
    if (n != s->ncols) {
        hz->reject_fields(s->c, origin, raw, n, "malformed_row", "expected %zu fields, found %zu", s->ncols,
                          n);
    } else if (s->bad == BAD_UTF8) {
        hz->reject_fields(s->c, origin, raw, n, "invalid_encoding",
                          "column '%s' (field %zu): invalid UTF-8 at byte %zu", column_name(s, f), f + 1,
                          s->bad_byte);
    } else {
        hz->reject_fields(s->c, origin, raw, n, "invalid_encoding",
                          "column '%s' (field %zu): byte %zu is not a %s character", column_name(s, f), f + 1,
                          s->bad_byte, s->enc_name);
    }
}

static void record_done(int term, void *self) {
    csv_source *s = self;
    if (s->nfields == 0) {
        /* libcsv reports every line break outside a record (CSV_REPALL_NL):
         * the LF of a CRLF, a blank line, or nothing at the end (-1).
         * A blank line is skipped, but counted. */
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
    if (!s->capture_header && !s->skip_next && !s->bad && s->nfields == s->ncols) {
        /* the common case: a row.  The record is reset first so that the
         * copy of its views ends the function (a tail call) */
        hz_field *row = hz->batch_add_row(s->out, origin);
        reset_record(s);
        memcpy(row, s->rec, s->ncols * sizeof *row);
        return;
    }
    if (s->capture_header) {
        if (!s->header_seen) capture_header(s);
    } else if (s->skip_next) {
        s->skip_next = false;
    } else {
        reject_record(s, origin);
    }
    reset_record(s);
}

/* ------------------------------------------------------------------ */
/* Reading.                                                            */

/* A fresh parser at the start of the input (plan's, then the run's). */
static int start_parser(csv_source *s) {
    if (csv_init(&s->parser, CSV_STRICT | CSV_REPALL_NL) != 0) {
        hz->error(s->c, "cannot start the CSV parser");
        return -1;
    }
    s->parser_ready = true;
    csv_set_space_func(&s->parser, never_space);
    csv_set_delim(&s->parser, s->delimiter);
    csv_set_quote(&s->parser, s->quote);
    csv_set_blk_size(&s->parser, PARSER_GROWTH);
    s->first_block = true;
    s->eof = false;
    s->bytes_read = 0;
    s->line = 1;
    s->last_term = 0;
    reset_record(s);
    return 0;
}

static void stop_parser(csv_source *s) {
    if (s->parser_ready) csv_free(&s->parser);
    s->parser_ready = false;
}

/* libcsv stopped at byte c, which breaks CSV_STRICT: note the record as
 * malformed, then take the byte as data of an unquoted field, as a
 * lenient reader would, so the rest of the line parses normally. */
static void recover(csv_source *s, unsigned char c) {
    struct csv_parser *p = &s->parser;
    if (p->pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED) {
        /* "ab"c: the closing quote (already in the field) stays data */
        mark_bad(s, BAD_AFTER_QUOTE, 0);
        p->quoted = 0;
        p->pstate = LIBCSV_FIELD_BEGUN;
    } else {
        mark_bad(s, BAD_STRAY_QUOTE, 0);
    }
    p->status = CSV_SUCCESS;
    csv_set_opts(p, CSV_REPALL_NL);
    csv_parse(p, &c, 1, field_done, record_done, s);
    csv_set_opts(p, CSV_STRICT | CSV_REPALL_NL);
}

static int parse_bytes(csv_source *s, const unsigned char *p, size_t n) {
    while (n > 0) {
        size_t done = csv_parse(&s->parser, p, n, field_done, record_done, s);
        if (done == n) break;
        if (csv_error(&s->parser) != CSV_EPARSE) {
            hz->error(s->c, "%s: %s", s->shown, csv_strerror(csv_error(&s->parser)));
            return -1;
        }
        recover(s, p[done]);
        p += done + 1;
        n -= done + 1;
    }
    if ((int64_t)s->parser.entry_pos > s->max_field_bytes) {
        hz->error(s->c,
                  "%s: a field of the record on line %llu is over max_field_bytes (%lld): an unclosed quote?",
                  s->shown, (unsigned long long)s->line, (long long)s->max_field_bytes);
        return -1;
    }
    /* checked once a block: a block adds at most 64 KiB of fields (and
     * as many views), so the bound holds to within about 1 MiB */
    if ((uint64_t)s->rec_bytes + 16 * (uint64_t)s->nfields > (uint64_t)s->max_record_bytes) {
        hz->error(s->c,
                  "%s: the record on line %llu is over max_record_bytes (%lld: its bytes and 16 per field, "
                  "%zu fields so far): a broken file?",
                  s->shown, (unsigned long long)s->line, (long long)s->max_record_bytes, s->nfields);
        return -1;
    }
    return 0;
}

/* Read and parse one block (a slice while planning); at the end of the
 * file, flush the last record (a file need not end with a line break). */
static int parse_block(csv_source *s) {
    ssize_t got = hzs_input_read(&s->in, s->block, s->capture_header ? PLAN_SLICE : BLOCK_SIZE);
    if (got < 0) return -1;
    size_t n = (size_t)got;
    unsigned char *p = s->block;
    s->bytes_read += n;
    if (n == 0) {
        s->eof = true;
        if (!s->capture_header && hzs_input_check_end(&s->in, s->in.bytes) != 0) return -1;
        if (s->parser.pstate == LIBCSV_FIELD_BEGUN && s->parser.quoted) {
            /* whatever else is wrong, this is what the user must fix */
            s->bad = BAD_UNTERMINATED;
            s->bad_field = s->nfields;
        }
        csv_fini(&s->parser, field_done, record_done, s);
        return 0;
    }
    if (s->first_block) {
        s->first_block = false;
        if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3, n -= 3; /* UTF-8 BOM */
    }
    return parse_bytes(s, p, n);
}

/* ------------------------------------------------------------------ */
/* The class.                                                          */

static int source_create(hz_component *c, void **self) {
    csv_source *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    s->cd = (iconv_t)-1;
    hzs_input_init(&s->in, c);
    s->shown = s->in.shown;
    s->max_field_bytes = hz->opt_int(c, "max_field_bytes");
    s->max_record_bytes = hz->opt_int(c, "max_record_bytes");
    s->header = hz->opt_bool(c, "header");
    int rc = 0;
    if (csv_byte_option(c, "delimiter", &s->delimiter) || csv_byte_option(c, "quote", &s->quote)) rc = -1;
    if (rc == 0 && s->delimiter == s->quote) {
        hz->config_error(c, hz->option(c, "quote"), "the quote and the delimiter must differ");
        rc = -1;
    }
    const char *enc = hz->opt_string(c, "encoding");
    if (!strcmp(enc, "windows-1252") || !strcmp(enc, "cp1252"))
        s->enc = ENC_WINDOWS_1252, s->enc_name = "windows-1252";
    else if (!strcmp(enc, "iso-8859-1") || !strcmp(enc, "latin1"))
        s->enc = ENC_ISO_8859_1, s->enc_name = "iso-8859-1";
    else
        s->enc = ENC_UTF8, s->enc_name = "utf-8";
    /* a windows-1252 byte becomes at most 3 UTF-8 bytes (0x80 is U+20AC) */
    s->expansion = s->enc == ENC_UTF8 ? 1 : 3;
    if (s->enc != ENC_UTF8) {
        s->cd = iconv_open("UTF-8", s->enc == ENC_WINDOWS_1252 ? "WINDOWS-1252" : "ISO-8859-1");
        if (s->cd == (iconv_t)-1) {
            hz->config_error(c, hz->option(c, "encoding"), "this system's iconv cannot convert from %s",
                             s->enc_name);
            rc = -1;
        }
    }
    if (s->max_field_bytes <= 0) {
        hz->config_error(c, hz->option(c, "max_field_bytes"), "'max_field_bytes' must be positive");
        rc = -1;
    }
    if (s->max_record_bytes <= 0) {
        hz->config_error(c, hz->option(c, "max_record_bytes"), "'max_record_bytes' must be positive");
        rc = -1;
    }
    if (!s->header && !hz->option(c, "columns")) {
        hz->config_error(c, hz->option(c, "header"), "with 'header: false', list the names in 'columns'");
        rc = -1;
    }
    s->block = hz->xmalloc(BLOCK_SIZE);
    return rc;
}

/* Read records up to the header, and no further.  With header: false the
 * file is still opened, so that `validate` reports a missing file.  A pipe
 * stays open, and what was read of it is read again by the run. */
static int read_header(csv_source *s) {
    if (hzs_input_plan(&s->in, s->feed) != 0 || start_parser(s) != 0) return -1;
    s->shown = s->in.shown; /* a zip member: archive:member */
    s->capture_header = true;
    /* a header is one record: its fields are bounded by max_field_bytes */
    hzs_input_keep(&s->in, (size_t)s->max_field_bytes, "the header is longer than max_field_bytes");
    int rc = 0;
    while (s->header && !s->header_seen && !s->eof && rc == 0) rc = parse_block(s);
    stop_parser(s);
    hzs_input_plan_end(&s->in);
    free_own(s);
    reset_record(s);
    s->capture_header = false;
    bool empty = s->bytes_read == 0;
    s->eof = false; /* the run reads from the start again */
    if (rc == 0 && s->header && !s->header_seen) {
        hz->error(s->c, "%s has no header row (%s)", s->shown,
                  empty ? "the file is empty" : "it holds only blank lines");
        rc = -1;
    }
    return rc;
}

/* The header's names become the columns: each must be a usable name. */
static int check_header(csv_source *s) {
    hz_component *c = s->c;
    const hz_value *at = hz->option(c, "path");
    if (s->header_bad == BAD_UTF8 || s->header_bad == BAD_CHARSET) {
        hz->config_error(c, at, "the header of %s: column %zu: byte %zu is not valid %s", s->shown,
                         s->header_bad_field + 1, s->header_bad_byte, s->enc_name);
        return -1;
    }
    if (s->header_bad) {
        hz->config_error(c, at, "the header of %s: column %zu: %s", s->shown, s->header_bad_field + 1,
                         s->header_bad == BAD_UNTERMINATED
                             ? "quoted name not closed before the end of the file"
                             : "misplaced quote");
        return -1;
    }
    for (size_t i = 0; i < s->nheader; i++)
        if (!s->header_names[i][0]) {
            hz->config_error(c, at,
                             "the header of %s: column %zu has no name (name the columns with 'columns')",
                             s->shown, i + 1);
            return -1;
        }
    /* sorted, not compared pairwise: a wide header must not take minutes */
    size_t *earlier = hz->xcalloc(s->nheader ? s->nheader : 1, sizeof *earlier);
    int rc = 0;
    if (hzs_names_repeats((const char *const *)s->header_names, s->nheader, earlier) > 0)
        for (size_t i = 0; i < s->nheader; i++) {
            if (earlier[i] == HZS_NAMES_FIRST) continue;
            hz->config_error(c, at, "the header of %s names column '%s' twice (columns %zu and %zu)",
                             s->shown, s->header_names[i], earlier[i] + 1, i + 1);
            rc = -1;
            break;
        }
    free(earlier);
    return rc;
}

/* One entry of `columns`: a name, or {name: NAME, pii: true|false}.  0, or
 * -1 after reporting. */
static int column_entry(hz_component *c, const hz_value *item, const char **name, bool *pii) {
    *name = NULL;
    *pii = false;
    if (hz->value_kind(item) == HZ_VALUE_SCALAR) {
        *name = hz->value_string(item);
        return 0;
    }
    if (hz->value_kind(item) == HZ_VALUE_MAP)
        for (size_t k = 0; k < hz->value_count(item); k++) {
            const hz_value *key = hz->value_key(item, k), *v = hz->value_item(item, k);
            const char *what = hz->value_string(key);
            if (!strcmp(what, "name") && hz->value_kind(v) == HZ_VALUE_SCALAR) {
                *name = hz->value_string(v);
            } else if (!strcmp(what, "pii")) {
                const char *b = hz->value_kind(v) == HZ_VALUE_SCALAR ? hz->value_string(v) : "";
                if (strcmp(b, "true") && strcmp(b, "false")) {
                    hz->config_error(c, v, "'pii' of a column must be true or false");
                    return -1;
                }
                *pii = !strcmp(b, "true");
            } else {
                hz->config_error(c, key, "a column entry has 'name' and 'pii', not '%s'", what);
                return -1;
            }
        }
    if (!*name) {
        hz->config_error(c, item, "each entry of 'columns' is a name, or {name: NAME, pii: true}");
        return -1;
    }
    return 0;
}

static int source_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    csv_source *s = self;
    s->feed = hz->feed(c, s->in.path);
    if (read_header(s) != 0) return -1;
    const hz_value *columns = hz->option(c, "columns");
    int rc = 0;
    if (columns && hz->value_kind(columns) != HZ_VALUE_LIST) {
        hz->config_error(c, columns, "'columns' must be a list, e.g. [a, b, {name: phone, pii: true}]");
        return -1;
    }
    if (columns) {
        size_t n = hz->value_count(columns);
        if (s->header && n != s->nheader) {
            hz->config_error(c, columns, "'columns' lists %zu names but the header of %s has %zu fields", n,
                             s->shown, s->nheader);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            const hz_value *item = hz->value_item(columns, i);
            const char *name;
            bool pii;
            if (column_entry(c, item, &name, &pii) != 0 || hz->schema_add(c, out, name, item) != 0) {
                rc = -1;
                continue;
            }
            if (pii && HZ_HOST_HAS(schema_set_personal))
                hz->schema_set_personal(c, out, hz->schema_count(out) - 1, true);
        }
    } else {
        if (check_header(s) != 0) return -1;
        const hz_value *at = hz->option(c, "path");
        for (size_t i = 0; i < s->nheader; i++)
            if (hz->schema_add(c, out, s->header_names[i], at) != 0) rc = -1;
    }
    s->ncols = hz->schema_count(out);
    s->names = hz->xcalloc(s->ncols, sizeof *s->names);
    for (size_t i = 0; i < s->ncols; i++) s->names[i] = hz->schema_name(out, i);
    return rc;
}

static int source_read(hz_component *c, void *self, hz_batch *out) {
    (void)c;
    csv_source *s = self;
    if (!s->parser_ready) {
        if (s->eof) return 0;
        if (hzs_input_open(&s->in) != 0 || start_parser(s) != 0) return -1;
        s->skip_next = s->header;
    }
    s->out = out;
    restore_open_record(s);
    int rc = 0;
    /* One block per call, whatever out->capacity says (going past it only
     * grows the batch); more only while a block completes no record. */
    do rc = parse_block(s);
    while (out->nrows == 0 && !s->eof && rc == 0);
    save_open_record(s);
    s->out = NULL;
    hzs_input_progress(&s->in, s->bytes_read);
    if (rc != 0) return -1;
    if (s->eof) {
        stop_parser(s);
        hzs_input_close(&s->in);
        return 0;
    }
    return 1;
}

static void source_destroy(void *self) {
    csv_source *s = self;
    stop_parser(s);
    hzs_input_free(&s->in);
    free_own(s);
    if (s->cd != (iconv_t)-1) iconv_close(s->cd);
    for (size_t i = 0; i < s->nheader; i++) free(s->header_names[i]);
    free(s->names);
    free(s->header_names);
    free(s->block);
    free(s->rec);
    free(s->carry);
    free(s);
}

const hz_source_class csv_source_class = {
    HZ_CLASS_INIT(hz_source_class),
    .doc = "reads an RFC 4180 CSV file (quoted fields, CRLF or LF, BOM stripped, whitespace kept); "
           "malformed records and bad bytes are rejected, the run goes on",
    HZ_OPTIONS(source_options),
    .create = source_create,
    .plan = source_plan,
    .read = source_read,
    .destroy = source_destroy,
};
