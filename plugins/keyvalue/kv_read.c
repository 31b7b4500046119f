/* The keyvalue source: streaming the export into batches, one record per
 * block of KEY=VALUE lines.  Only the values of the keys the columns read
 * are copied (once into the record's buffer, once into the batch); the
 * other keys are counted for the summary and forgotten. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <support/hzs_str.h>
#include <support/hzs_utf8.h>

#include "kv_plugin.h"

static bool is_space(char ch) {
    return ch == ' ' || ch == '\t';
}

static void trim(const char **p, size_t *n) {
    while (*n && is_space(**p)) (*p)++, (*n)--;
    while (*n && is_space((*p)[*n - 1])) (*n)--;
}

static bool is_blank(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!is_space(text[i])) return false;
    return true;
}

/* The first separator in the line, or NULL. */
static const char *find_sep(const kv_source *s, const char *text, size_t len) {
    const char *end = text + len;
    for (const char *p = text; p + s->seplen <= end; p++) {
        p = memchr(p, s->sep[0], (size_t)(end - p));
        if (!p || p + s->seplen > end) return NULL;
        if (!memcmp(p, s->sep, s->seplen)) return p;
    }
    return NULL;
}

/* Remember the record's first problem; it is rejected when it ends. */
static void problem(kv_source *s, const char *reason, const char *fmt, ...) HZ_PRINTF(3, 4);
static void problem(kv_source *s, const char *reason, const char *fmt, ...) {
    if (s->reason) return;
    s->reason = reason;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof s->detail, fmt, ap);
    va_end(ap);
}

static void count_ignored(kv_source *s, const char *key, size_t n) {
    for (size_t i = 0; i < s->nignored; i++)
        if (strlen(s->ignored[i].key) == n && !memcmp(s->ignored[i].key, key, n)) {
            s->ignored[i].count++;
            return;
        }
    if (s->nignored == KV_IGNORED_SHOWN || n > KV_IGNORED_KEY_MAX) {
        s->ignored_other++;
        return;
    }
    s->ignored[s->nignored++] = (kv_ignored){hzs_strndup(key, n), 1};
}

static void start_record(kv_source *s) {
    s->in_record = true;
    s->rec_line = s->line;
    s->reason = NULL;
    hzs_record_clear(&s->rec);
    for (size_t j = 0; j < s->ncols; j++) s->seen[j] = 0;
}

/* Emit the record as a row, or reject it with its first problem. */
static void end_record(kv_source *s, hz_batch *out) {
    s->in_record = false;
    s->records++;
    hz_origin origin = {s->rec_line, s->feed, 0};
    if (!s->reason) {
        size_t used = 0;
        unsigned missing = 0;
        for (size_t j = 0; j < s->ncols && used < sizeof s->detail; j++) {
            if (!s->required[j] || s->seen[j]) continue;
            int n = snprintf(s->detail + used, sizeof s->detail - used, "%s'%s' (column %s)",
                             missing++ ? ", " : "missing required key ", s->keys[j], s->names[j]);
            used += n > 0 ? (size_t)n : 0;
        }
        if (missing) s->reason = "malformed_row";
    }
    if (s->reason) {
        /* Only the columns' values: the keys nobody reads stay unread. */
        hz->reject_fields(s->c, origin, hzs_record_fields(&s->rec), s->ncols, s->reason, "%s", s->detail);
        return;
    }
    hzs_record_emit(&s->rec, out, origin);
}

static void take_pair(kv_source *s, const char *text, size_t len) {
    const char *sep = find_sep(s, text, len);
    if (!sep) {
        problem(s, "malformed_row", "line %llu has no '%s' between a key and a value",
                (unsigned long long)s->line, s->sep);
        return;
    }
    const char *key = text, *value = sep + s->seplen;
    size_t keylen = (size_t)(sep - text), vlen = (size_t)(text + len - value);
    if (s->trim) {
        trim(&key, &keylen);
        trim(&value, &vlen);
    }
    if (keylen == 0) {
        problem(s, "malformed_row", "line %llu has an empty key", (unsigned long long)s->line);
        return;
    }
    for (size_t j = 0; j < s->ncols; j++) {
        if (s->keylen[j] != keylen || memcmp(s->keys[j], key, keylen)) continue;
        if (s->seen[j]) {
            /* Which of the two is right?  Not ours to guess. */
            problem(s, "malformed_row", "key '%s' appears twice, on lines %llu and %llu", s->keys[j],
                    (unsigned long long)s->seen[j], (unsigned long long)s->line);
            return;
        }
        s->seen[j] = s->line;
        hzs_record_put(&s->rec, j, value, vlen);
        return;
    }
    count_ignored(s, key, keylen);
}

static void take_line(kv_source *s, hz_batch *out, const char *text, size_t len) {
    if (s->line == 1 && len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) text += 3, len -= 3;
    if (is_blank(text, len)) {
        s->blanks++;
        if (s->in_record) end_record(s, out);
        return;
    }
    const char *lead = text;
    size_t rest = len;
    while (rest && is_space(*lead)) lead++, rest--;
    if (s->commentlen && rest >= s->commentlen && !memcmp(lead, s->comment, s->commentlen)) {
        s->comments++;
        return;
    }
    if (!s->in_record) start_record(s);
    size_t bad = hzs_utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        problem(s, "invalid_encoding",
                "line %llu: byte %zu is not UTF-8: the export must be UTF-8 (convert it "
                "first, e.g. iconv -f WINDOWS-1252 -t UTF-8)",
                (unsigned long long)s->line, bad + 1);
        return;
    }
    take_pair(s, text, len);
}

static void summarize(kv_source *s) {
    hz->summary_note(s->c, "%s: %llu record%s, %llu comment line%s, %llu blank line%s", s->shown,
                     (unsigned long long)s->records, s->records == 1 ? "" : "s",
                     (unsigned long long)s->comments, s->comments == 1 ? "" : "s",
                     (unsigned long long)s->blanks, s->blanks == 1 ? "" : "s");
    if (!s->nignored && !s->ignored_other) return;
    if (!s->nignored) { /* only keys too long to name */
        hz->summary_note(s->c, "keys no column reads, skipped: %llu lines of other keys",
                         (unsigned long long)s->ignored_other);
        return;
    }
    char list[512];
    size_t used = 0;
    for (size_t i = 0; i < s->nignored && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s (%llu)", i ? ", " : "", s->ignored[i].key,
                         (unsigned long long)s->ignored[i].count);
        used += n > 0 ? (size_t)n : 0;
    }
    if (s->ignored_other)
        hz->summary_note(s->c, "keys no column reads, skipped: %s and %llu lines of other keys", list,
                         (unsigned long long)s->ignored_other);
    else
        hz->summary_note(s->c, "keys no column reads, skipped: %s", list);
}

/* A line over the limit fails the run, as an over-long field does in the
 * csv source: it is a broken export (or a hostile one), not a record. */
static int line_too_long(kv_source *s) {
    hz->error(s->c,
              "%s:%llu: the line is over max_field_bytes (%lld): a broken export, or no line breaks at all?",
              s->shown, (unsigned long long)s->line + 1, (long long)s->max_field_bytes);
    return -1;
}

int kv_read(hz_component *c, void *self, hz_batch *out) {
    kv_source *s = self;
    if (s->finished) return 0;
    if (!s->reading) {
        if (hzs_input_open(&s->in) != 0) return -1;
        kv_lines_init(&s->lines, &s->in, (size_t)s->max_field_bytes);
        s->reading = true;
        s->bytes = 0;
    }
    /* Hand the batch back when it is full, or after `capacity` lines even
     * if they made few rows, so the core keeps control. */
    for (size_t lines = 0; out->nrows < out->capacity && lines < out->capacity; lines++) {
        const char *text = NULL;
        size_t len = 0;
        int got = kv_lines_next(&s->lines, &text, &len);
        if (got == KV_LINES_FAILED) return -1;
        if (got == KV_LINE_TOO_LONG) return line_too_long(s);
        if (got == KV_LINES_END) {
            if (hzs_input_check_end(&s->in, s->bytes) != 0) return -1;
            hzs_input_progress(&s->in, s->bytes);
            if (s->in_record) end_record(s, out);
            hzs_input_close(&s->in);
            kv_lines_free(&s->lines);
            s->reading = false;
            s->finished = true;
            summarize(s);
            return 0;
        }
        s->bytes += (uint64_t)len;
        if (len && text[len - 1] == '\n') len--;
        if (len && text[len - 1] == '\r') len--;
        if (len > (size_t)s->max_field_bytes) return line_too_long(s);
        s->line++;
        take_line(s, out, text, len);
    }
    hzs_input_progress(&s->in, s->bytes);
    return 1;
}
