/* Comparing a test run with its expectations.  A failure says which
 * expected rows are missing, which rows came unexpected, and for a row that
 * differs only in some columns, those columns with the expected and the
 * actual value: the reader should see the fix without rerunning anything. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "test_diff.h"
#include "util.h"

/* Rows shown at most when a count is wrong, unexpected rows listed. */
#define SHOWN_ROWS 20
/* Past this many cells of the alignment table, rows are compared by
 * position (a test of that size is not written by hand). */
#define MAX_ALIGN_CELLS 4000000u

void hz_test_table_add(hz_test_table *t, const hz_batch *b) {
    size_t ncols = t->schema->count;
    if (t->nrows + b->nrows > t->cap) {
        t->cap = (t->nrows + b->nrows) * 2;
        t->values = hz_xrealloc(t->values, t->cap * (ncols ? ncols : 1) * sizeof *t->values);
    }
    for (size_t r = 0; r < b->nrows; r++, t->nrows++)
        for (size_t k = 0; k < ncols; k++) {
            const hz_field *f = &b->fields[r * b->ncols + k];
            t->values[t->nrows * ncols + k] = hz_xstrndup(f->len ? f->ptr : "", f->len);
        }
}

void hz_test_table_free(hz_test_table *t) {
    for (size_t i = 0; i < t->nrows * t->schema->count; i++) free(t->values[i]);
    free(t->values);
    t->values = NULL;
    t->nrows = t->cap = 0;
}

void hz_test_seen_reject_free(hz_test_seen_reject *r) {
    for (size_t i = 0; r->schema && i < r->schema->count; i++) free(r->values[i]);
    free(r->values);
    free(r->component);
    free(r->reason);
    free(r->detail);
    free(r->where);
}

/* A value as it would be written in the test file: double-quoted, with
 * the escapes of a YAML double-quoted scalar, so it can be pasted back. */
static void print_value(FILE *out, const char *s) {
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '\t')
            fputs("\\t", out);
        else if ((unsigned char)*s < 0x20)
            fprintf(out, "\\x%02x", (unsigned)(unsigned char)*s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

static const char *got_value(const hz_test_table *t, size_t row, long col) {
    return t->values[row * t->schema->count + (size_t)col];
}

/* Whether actual row j has every value expected row e names. */
static bool row_equal(const hz_value *e, const hz_test_table *t, size_t j) {
    for (size_t k = 0; k < e->count; k++) {
        long col = hz_schema_index(t->schema, e->keys[k]->text);
        if (col < 0 || strcmp(got_value(t, j, col), e->items[k]->text) != 0) return false;
    }
    return true;
}

static size_t equal_columns(const hz_value *e, const hz_test_table *t, size_t j) {
    size_t n = 0;
    for (size_t k = 0; k < e->count; k++) {
        long col = hz_schema_index(t->schema, e->keys[k]->text);
        n += col >= 0 && !strcmp(got_value(t, j, col), e->items[k]->text);
    }
    return n;
}

/* The columns shown for an actual row: those the expected rows name (in
 * the component's order), else all. */
static bool *shown_columns(const hz_test_expect *e, const hz_test_table *t) {
    size_t n = t->schema->count;
    bool *shown = hz_xcalloc(n ? n : 1, sizeof *shown);
    bool any = false;
    for (size_t r = 0; e->rows && r < e->rows->count; r++)
        for (size_t k = 0; k < e->rows->items[r]->count; k++) {
            long col = hz_schema_index(t->schema, e->rows->items[r]->keys[k]->text);
            if (col >= 0) shown[col] = any = true;
        }
    for (size_t k = 0; !any && k < n; k++) shown[k] = true;
    return shown;
}

static void print_got_row(FILE *out, const hz_test_table *t, size_t j, const bool *shown) {
    fputc('{', out);
    bool first = true;
    for (size_t k = 0; k < t->schema->count; k++) {
        if (!shown[k]) continue;
        fprintf(out, "%s%s: ", first ? "" : ", ", t->schema->names[k]);
        print_value(out, got_value(t, j, (long)k));
        first = false;
    }
    fputs("}\n", out);
}

static void print_expected_row(FILE *out, const hz_value *e) {
    fputc('{', out);
    for (size_t k = 0; k < e->count; k++) {
        fprintf(out, "%s%s: ", k ? ", " : "", e->keys[k]->text);
        print_value(out, e->items[k]->text);
    }
    fputs("}\n", out);
}

static void print_differs(FILE *out, const hz_value *e, const hz_test_table *t, size_t j) {
    fprintf(out, "    row %zu differs from the expected row at %s:%u:\n", j + 1, e->file, e->line);
    for (size_t k = 0; k < e->count; k++) {
        long col = hz_schema_index(t->schema, e->keys[k]->text);
        const char *got = col >= 0 ? got_value(t, j, col) : NULL;
        if (got && !strcmp(got, e->items[k]->text)) continue;
        fprintf(out, "      %s: expected ", e->keys[k]->text);
        print_value(out, e->items[k]->text);
        fputs(", got ", out);
        if (got)
            print_value(out, got);
        else
            fputs("no such column", out);
        fputc('\n', out);
    }
}

/* The outcome of matching: for each expected row the actual row it is
 * (or differs from: paired), -1 for none; for each actual row whether it
 * is accounted for. */
typedef struct matching {
    long *of_expected;
    bool *paired; /* of_expected[i] differs from row i (not equal) */
    bool *used;   /* per actual row */
} matching;

/* Expected rows [i0, i1) are missing and actual rows [j0, j1) unexpected:
 * each expected row is paired with the actual row left that shares most
 * of its values, if more than half: that row changed (its differing
 * columns are shown); the others stay missing or unexpected. */
static void pair_changed(const hz_value *rows, const hz_test_table *t, matching *m, size_t i0, size_t i1,
                         size_t j0, size_t j1) {
    for (size_t i = i0; i < i1; i++) {
        size_t best = 0;
        long best_j = -1;
        for (size_t j = j0; j < j1; j++) {
            size_t n = m->used[j] ? 0 : equal_columns(rows->items[i], t, j);
            if (n > best) best = n, best_j = (long)j;
        }
        if (best_j < 0 || 2 * best <= rows->items[i]->count) continue;
        m->of_expected[i] = best_j;
        m->paired[i] = m->used[best_j] = true;
    }
}

/* Any order: each expected row takes the first equal actual row left;
 * then the rows still missing are paired with changed ones. */
static void match_unordered(const hz_value *rows, const hz_test_table *t, matching *m) {
    for (size_t i = 0; i < rows->count; i++)
        for (size_t j = 0; j < t->nrows; j++)
            if (!m->used[j] && row_equal(rows->items[i], t, j)) {
                m->of_expected[i] = (long)j;
                m->used[j] = true;
                break;
            }
    for (size_t i = 0; i < rows->count; i++)
        if (m->of_expected[i] < 0) pair_changed(rows, t, m, i, i + 1, 0, t->nrows);
}

/* In order: the longest common subsequence of equal rows is matched; in
 * each stretch between two matches, the rows that changed are paired
 * (pair_changed), the rest are missing or unexpected. */
static void match_ordered(const hz_value *rows, const hz_test_table *t, matching *m) {
    size_t n = rows->count, w = t->nrows + 1;
    if ((n + 1) * w > MAX_ALIGN_CELLS) { /* by position */
        for (size_t i = 0; i < n && i < t->nrows; i++) {
            m->of_expected[i] = (long)i;
            m->paired[i] = !row_equal(rows->items[i], t, i);
            m->used[i] = true;
        }
        return;
    }
    size_t *lcs = hz_xcalloc((n + 1) * w, sizeof *lcs); /* lcs[i*w+j]: of expected[i..], actual[j..] */
    for (size_t i = n; i-- > 0;)
        for (size_t j = t->nrows; j-- > 0;) {
            size_t skip =
                lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ? lcs[(i + 1) * w + j] : lcs[i * w + j + 1];
            lcs[i * w + j] = row_equal(rows->items[i], t, j) ? lcs[(i + 1) * w + j + 1] + 1 : skip;
        }
    size_t i = 0, j = 0;
    size_t hunk_i = 0, hunk_j = 0; /* where the current stretch of differences began */
    for (;;) {
        bool end = i == n || j == t->nrows;
        bool match =
            !end && row_equal(rows->items[i], t, j) && lcs[i * w + j] == lcs[(i + 1) * w + j + 1] + 1;
        if (match || end) {
            pair_changed(rows, t, m, hunk_i, end ? n : i, hunk_j, end ? t->nrows : j);
            if (end) break;
            m->of_expected[i] = (long)j;
            m->used[j] = true;
            hunk_i = ++i, hunk_j = ++j;
        } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            i++;
        } else {
            j++;
        }
    }
    free(lcs);
}

static bool all_matched(const hz_value *rows, const hz_test_table *t, const matching *m) {
    for (size_t i = 0; i < rows->count; i++)
        if (m->of_expected[i] < 0 || m->paired[i]) return false;
    for (size_t j = 0; j < t->nrows; j++)
        if (!m->used[j]) return false;
    return true;
}

static void matching_init(matching *m, size_t nexpected, size_t ngot) {
    m->of_expected = hz_xcalloc(nexpected ? nexpected : 1, sizeof *m->of_expected);
    for (size_t i = 0; i < nexpected; i++) m->of_expected[i] = -1;
    m->paired = hz_xcalloc(nexpected ? nexpected : 1, sizeof *m->paired);
    m->used = hz_xcalloc(ngot ? ngot : 1, sizeof *m->used);
}

static void matching_free(matching *m) {
    free(m->of_expected);
    free(m->paired);
    free(m->used);
}

static const char *plural(size_t n) {
    return n == 1 ? "" : "s";
}

/* The rows were all there, in another order: say which moved. */
static void print_reordered(FILE *out, const hz_test_expect *e, const hz_test_table *t, const matching *m) {
    fprintf(out, "  %s: the expected rows, in another order (unordered: true accepts any order):\n",
            e->target->text);
    size_t shown = 0;
    for (size_t i = 0; i < e->rows->count && shown < SHOWN_ROWS; i++)
        if (m->of_expected[i] != (long)i) {
            fprintf(out, "    the expected row at %s:%u came as row %ld, not %zu\n", e->rows->items[i]->file,
                    e->rows->items[i]->line, m->of_expected[i] + 1, i + 1);
            shown++;
        }
    (void)t;
}

bool hz_test_compare_rows(FILE *out, const hz_test_expect *e, const hz_test_table *got) {
    bool *shown = shown_columns(e, got);
    bool ok = true;
    if (!e->rows) {
        ok = (size_t)e->count == got->nrows;
        if (!ok) {
            fprintf(out, "  %s: %lld row%s expected, %zu got%s\n", e->target->text, (long long)e->count,
                    plural((size_t)e->count), got->nrows, got->nrows ? ":" : "");
            for (size_t j = 0; j < got->nrows && j < SHOWN_ROWS; j++) {
                fprintf(out, "    row %zu: ", j + 1);
                print_got_row(out, got, j, shown);
            }
            if (got->nrows > SHOWN_ROWS) fprintf(out, "    ... %zu more\n", got->nrows - SHOWN_ROWS);
        }
        free(shown);
        return ok;
    }
    const hz_value *rows = e->rows;
    matching m;
    matching_init(&m, rows->count, got->nrows);
    if (e->unordered)
        match_unordered(rows, got, &m);
    else
        match_ordered(rows, got, &m);
    ok = all_matched(rows, got, &m);
    if (!ok && !e->unordered) { /* the same rows in another order? */
        matching any;
        matching_init(&any, rows->count, got->nrows);
        match_unordered(rows, got, &any);
        bool reordered = all_matched(rows, got, &any);
        if (reordered) print_reordered(out, e, got, &any);
        matching_free(&any);
        if (reordered) goto done;
    }
    if (!ok) {
        fprintf(out, "  %s: %zu row%s expected, %zu got\n", e->target->text, rows->count, plural(rows->count),
                got->nrows);
        /* In the order of the actual rows, then the missing ones. */
        size_t unexpected = 0;
        for (size_t j = 0; j < got->nrows; j++) {
            long i = -1;
            for (size_t k = 0; k < rows->count && i < 0; k++)
                if (m.of_expected[k] == (long)j) i = (long)k;
            if (i >= 0 && m.paired[i]) print_differs(out, rows->items[i], got, j);
            if (i >= 0 || unexpected++ >= SHOWN_ROWS) continue;
            fprintf(out, "    unexpected row %zu: ", j + 1);
            print_got_row(out, got, j, shown);
        }
        if (unexpected > SHOWN_ROWS) fprintf(out, "    ... %zu more unexpected\n", unexpected - SHOWN_ROWS);
        for (size_t i = 0; i < rows->count; i++) {
            if (m.of_expected[i] >= 0) continue;
            fprintf(out, "    missing: the expected row at %s:%u: ", rows->items[i]->file,
                    rows->items[i]->line);
            print_expected_row(out, rows->items[i]);
        }
    }
done:
    matching_free(&m);
    free(shown);
    return ok;
}

/* Whether reject r is the one x expects.  `component` may name a
 * component written with steps (`tidy`) for any of its steps (`tidy[2]`). */
static bool reject_matches(const hz_test_reject *x, const hz_test_seen_reject *r) {
    if (strcmp(x->reason->text, r->reason) != 0) return false;
    if (x->detail && strcmp(x->detail->text, r->detail) != 0) return false;
    if (x->component) {
        size_t n = strlen(x->component->text);
        if (strcmp(r->component, x->component->text) != 0 &&
            !(strncmp(r->component, x->component->text, n) == 0 && r->component[n] == '['))
            return false;
    }
    for (size_t k = 0; x->row && k < x->row->count; k++) {
        long col = r->schema ? hz_schema_index(r->schema, x->row->keys[k]->text) : -1;
        if (col < 0 || strcmp(r->values[col], x->row->items[k]->text) != 0) return false;
    }
    return true;
}

static void print_seen_reject(FILE *out, const hz_test_seen_reject *r) {
    fprintf(out, "%s %s: ", r->component, r->reason);
    print_value(out, r->detail);
    if (r->where) fprintf(out, " (the row at %s)", r->where);
    fputc('\n', out);
}

void hz_test_print_rejects(FILE *out, const hz_test_seen_reject *got, size_t n) {
    if (!n) return;
    fprintf(out, "  rows rejected in this test: %zu\n", n);
    for (size_t i = 0; i < n && i < SHOWN_ROWS; i++) {
        fputs("    ", out);
        print_seen_reject(out, &got[i]);
    }
    if (n > SHOWN_ROWS) fprintf(out, "    ... %zu more\n", n - SHOWN_ROWS);
}

bool hz_test_compare_rejects(FILE *out, const hz_test_case *c, const hz_test_seen_reject *got, size_t n) {
    bool *used = hz_xcalloc(n ? n : 1, sizeof *used), *found = hz_xcalloc(c->nrejects ? c->nrejects : 1, 1);
    bool ok = true;
    for (size_t i = 0; i < c->nrejects; i++)
        for (size_t j = 0; j < n && !found[i]; j++)
            if (!used[j] && reject_matches(&c->rejects[i], &got[j])) found[i] = used[j] = true;
    for (size_t i = 0; i < c->nrejects; i++) ok &= found[i];
    for (size_t j = 0; j < n; j++) ok &= used[j];
    if (!ok) {
        fprintf(out, "  rejects: %zu expected, %zu got\n", c->nrejects, n);
        for (size_t j = 0; j < n; j++) {
            if (used[j]) continue;
            fputs("    unexpected reject: ", out);
            print_seen_reject(out, &got[j]);
        }
        for (size_t i = 0; i < c->nrejects; i++) {
            if (found[i]) continue;
            const hz_test_reject *x = &c->rejects[i];
            fprintf(out, "    missing: the expected reject at %s:%u: reason ", x->at->file, x->at->line);
            print_value(out, x->reason->text);
            if (x->component) fprintf(out, ", component %s", x->component->text);
            if (x->detail) {
                fputs(", detail ", out);
                print_value(out, x->detail->text);
            }
            if (x->row) {
                fputs(", row ", out);
                print_expected_row(out, x->row);
            } else {
                fputc('\n', out);
            }
        }
    }
    free(used);
    free(found);
    return ok;
}
