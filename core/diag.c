#include "diag.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log_json.h"
#include "util.h"

void hz_diag_spoil(hz_diag *d, const char *file, unsigned line, unsigned col) {
    if (d->nspoiled == d->spoiled_cap) {
        d->spoiled_cap = d->spoiled_cap ? d->spoiled_cap * 2 : 8;
        d->spoiled = hz_xrealloc(d->spoiled, d->spoiled_cap * sizeof *d->spoiled);
    }
    d->spoiled[d->nspoiled++] = (hz_diag_spoiled){hz_xstrdup(file ? file : "harmonize"), line, col};
}

static bool is_spoiled(const hz_diag *d, const char *file, unsigned line, unsigned col) {
    for (size_t i = 0; i < d->nspoiled; i++)
        if (d->spoiled[i].line == line && d->spoiled[i].col == col &&
            !strcmp(d->spoiled[i].file, file ? file : "harmonize"))
            return true;
    return false;
}

void hz_diag_vadd(hz_diag *d, hz_diag_severity sev, const char *file, unsigned line, unsigned col,
                  const char *fmt, va_list ap) {
    if (line && is_spoiled(d, file, line, col)) return; /* a follow-on of an earlier report */
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->entries = hz_xrealloc(d->entries, d->cap * sizeof *d->entries);
    }
    hz_diag_entry *e = &d->entries[d->count];
    e->file = hz_xstrdup(file ? file : "harmonize");
    e->line = line;
    e->col = col;
    e->severity = sev;
    e->message = hz_xvasprintf(fmt, ap);
    e->seq = d->count++;
    if (sev == HZ_DIAG_ERROR) d->errors++;
}

void hz_diag_add(hz_diag *d, hz_diag_severity sev, const char *file, unsigned line, unsigned col,
                 const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hz_diag_vadd(d, sev, file, line, col, fmt, ap);
    va_end(ap);
}

static void diag_vnow(hz_diag *d, hz_diag_severity sev, const char *component, const char *fmt, va_list ap) {
    char *message = hz_xvasprintf(fmt, ap);
    hz_log_diag_now(sev, component, message); /* text, or JSON (log_json.h) */
    free(message);
    if (sev == HZ_DIAG_ERROR)
        d->run_errors++;
    else
        d->run_warnings++;
}

void hz_diag_now(hz_diag *d, hz_diag_severity sev, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    diag_vnow(d, sev, NULL, fmt, ap);
    va_end(ap);
}

void hz_diag_now_in(hz_diag *d, hz_diag_severity sev, const char *component, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    diag_vnow(d, sev, component, fmt, ap);
    va_end(ap);
}

static int by_position(const void *pa, const void *pb) {
    const hz_diag_entry *a = pa, *b = pb;
    int f = strcmp(a->file, b->file);
    if (f) return f;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same(const hz_diag_entry *a, const hz_diag_entry *b) {
    return a->line == b->line && a->col == b->col && a->severity == b->severity &&
           !strcmp(a->file, b->file) && !strcmp(a->message, b->message);
}

void hz_diag_print(hz_diag *d, FILE *out) {
    /* Never qsort(NULL, 0, ...): an empty diag has no entries array. */
    if (d->count > 1) qsort(d->entries, d->count, sizeof *d->entries, by_position);
    /* Drop repeats (a value copied by an alias is checked once per copy)
     * rather than skip them when printing, so that `errors` counts the
     * errors the user reads. */
    size_t kept = 0;
    d->errors = 0;
    for (size_t i = 0; i < d->count; i++) {
        hz_diag_entry *e = &d->entries[i];
        if (kept > 0 && same(&d->entries[kept - 1], e)) {
            free(e->file);
            free(e->message);
            continue;
        }
        d->entries[kept++] = *e;
        if (e->severity == HZ_DIAG_ERROR) d->errors++;
    }
    d->count = kept;
    for (size_t i = 0; i < d->count; i++) {
        const hz_diag_entry *e = &d->entries[i];
        if (out == stderr && hz_log_diag_entry(e)) continue; /* --log-format json, --quiet */
        const char *sev = e->severity == HZ_DIAG_ERROR ? "error" : "warning";
        if (e->line)
            fprintf(out, "%s:%u:%u: %s: %s\n", e->file, e->line, e->col, sev, e->message);
        else
            fprintf(out, "%s: %s: %s\n", e->file, sev, e->message);
    }
}

void hz_diag_free(hz_diag *d) {
    for (size_t i = 0; i < d->count; i++) {
        free(d->entries[i].file);
        free(d->entries[i].message);
    }
    free(d->entries);
    for (size_t i = 0; i < d->nspoiled; i++) free(d->spoiled[i].file);
    free(d->spoiled);
    memset(d, 0, sizeof *d);
}
