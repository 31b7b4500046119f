/* The published table of the aggregate transform: what finish() does once
 * every row has been counted.
 *
 * Statistical disclosure control (suppress_below: k).  A count n with
 * 0 < n < k is not printed: the count, its share and its sums are
 * written as the marker (default `x`) and the row's `suppressed` column
 * says yes.  The share must go too, or count = share x total would give
 * it back.  The default marker is not `<k` because of what follows: a
 * cell suppressed to protect another one has a count of k or more.
 *
 * Secondary (complementary) suppression, on unless suppress_secondary is
 * false.  A reader who knows a line's total (the grand total of a one-
 * column table; a row or column total of a cross table, e.g. all returns
 * from one host region) gets a lone suppressed cell of that line back by
 * subtraction.  So in every line of the table along each group_by column
 * (the groups agreeing on all the other group_by columns) that holds
 * exactly one suppressed cell and at least two cells, the smallest other
 * cell (ties: group values ascending) is suppressed too, and this repeats
 * until no line has a lone suppressed cell.  Its limits, stated in the
 * docs: it is the usual heuristic, not an optimal or proven pattern; it
 * knows only this table's own lines (not totals over several group_by
 * columns at once, other tables published from the same data, earlier
 * runs, or ranges: a suppressed pair's sum is known, so each cell lies
 * within a bound); and a line of a single cell cannot be protected inside
 * the table (its line total is the cell).  Published tables still need
 * a reviewer.
 *
 * Order and rank.  A suppressed count must not leak through the order
 * either, so `count_desc` and `top` sort published counts only: the
 * groups whose counts are printed by count, largest first, ties by group
 * values ascending, then the suppressed ones by group values.  The rank
 * (with `top`) is 1 + the number of printed counts larger than the
 * group's (ties share a rank, 1 2 2 4); suppressed groups have none.
 *
 * Shares are each count's percentage of all rows counted (every group,
 * not only the top N), rounded half up on their own: they need not add up
 * to 100. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

/* The line of the table a group belongs to along column `dim`. */
typedef struct line_ctx {
    const agg_state *s;
    size_t dim;
} line_ctx;

static group *group_at(const agg_state *s, size_t i) {
    return kt_payload(&s->groups, i);
}

static const unsigned char *values_of(const agg_state *s, size_t i) {
    size_t len;
    return kt_key(&s->groups, i, &len);
}

static int cmp_values(const void *ctx, size_t a, size_t b) {
    const agg_state *s = ctx;
    return kt_compare_fields(values_of(s, a), values_of(s, b), s->ngroup, (size_t)-1);
}

static bool is_suppressed(const agg_state *s, size_t i) {
    return group_at(s, i)->flags & GROUP_SUPPRESSED;
}

/* Printed counts first, largest first; then the suppressed groups. */
static int cmp_published(const void *ctx, size_t a, size_t b) {
    const agg_state *s = ctx;
    bool sa = is_suppressed(s, a), sb = is_suppressed(s, b);
    if (sa != sb) return sa ? 1 : -1;
    uint64_t ca = group_at(s, a)->count, cb = group_at(s, b)->count;
    if (!sa && ca != cb) return ca > cb ? -1 : 1;
    return cmp_values(s, a, b);
}

/* By line (the other group values), then count ascending, then values. */
static int cmp_line(const void *ctx, size_t a, size_t b) {
    const line_ctx *l = ctx;
    int c = kt_compare_fields(values_of(l->s, a), values_of(l->s, b), l->s->ngroup, l->dim);
    if (c) return c;
    uint64_t ca = group_at(l->s, a)->count, cb = group_at(l->s, b)->count;
    if (ca != cb) return ca < cb ? -1 : 1;
    return cmp_values(l->s, a, b);
}

static size_t suppress_primary(agg_state *s) {
    size_t n = 0;
    for (size_t i = 0; i < s->groups.count; i++) {
        group *g = group_at(s, i);
        if (g->count > 0 && g->count < (uint64_t)s->suppress) {
            g->flags |= GROUP_SUPPRESSED;
            n++;
        }
    }
    return n;
}

/* See the top comment.  `idx` and `tmp` hold the group count each. */
static size_t suppress_secondary(agg_state *s, size_t *idx, size_t *tmp) {
    size_t n = s->groups.count, added = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t dim = 0; dim < s->ngroup; dim++) {
            line_ctx l = {s, dim};
            for (size_t i = 0; i < n; i++) idx[i] = i;
            kt_sort(idx, tmp, n, cmp_line, &l);
            for (size_t lo = 0, hi; lo < n; lo = hi) {
                size_t lone = 0, first_open = n;
                for (hi = lo;
                     hi < n && (hi == lo || kt_compare_fields(values_of(s, idx[lo]), values_of(s, idx[hi]),
                                                              s->ngroup, dim) == 0);
                     hi++) {
                    if (is_suppressed(s, idx[hi]))
                        lone++;
                    else if (first_open == n)
                        first_open = hi;
                }
                if (lone == 1 && first_open < n) {
                    group_at(s, idx[first_open])->flags |= GROUP_SUPPRESSED;
                    added++;
                    changed = true;
                }
            }
        }
    }
    return added;
}

static void rank_and_cut(agg_state *s) {
    size_t n = s->norder;
    uint64_t prev = 0, rank = 0;
    for (size_t k = 0; k < n; k++) {
        group *g = group_at(s, s->order[k]);
        if (g->flags & GROUP_SUPPRESSED) continue;
        if (k == 0 || g->count != prev) rank = k + 1;
        prev = g->count;
        g->rank = rank;
    }
    if (s->top <= 0 || (uint64_t)s->top >= n) {
        if (s->top > 0) hz->summary_note(s->c, "top %lld: all %zu groups are kept", (long long)s->top, n);
        return;
    }
    size_t cut = (size_t)s->top;
    hz->summary_note(s->c, "top %lld of %zu groups by count (ties at the cut: group values ascending)",
                     (long long)s->top, n);
    group *last = group_at(s, s->order[cut - 1]), *next = group_at(s, s->order[cut]);
    if ((last->flags & GROUP_SUPPRESSED) && (next->flags & GROUP_SUPPRESSED)) {
        hz->summary_note(s->c, "the cut falls among suppressed groups: kept by group values, ascending");
    } else if (!(next->flags & GROUP_SUPPRESSED) && next->count == last->count) {
        size_t kept = 0, left = 0;
        for (size_t k = 0; k < n; k++) {
            group *g = group_at(s, s->order[k]);
            if (!(g->flags & GROUP_SUPPRESSED) && g->count == last->count) k < cut ? kept++ : left++;
        }
        hz->summary_note(s->c, "%zu groups tie at count %llu across the cut: %zu kept, %zu left out",
                         kept + left, (unsigned long long)last->count, kept, left);
    }
    s->norder = cut;
}

/* share_within: per group, the count of all groups with the same values in
 * the share_within columns (its part), through a key table of the parts. */
static void part_totals(agg_state *s) {
    size_t n = s->groups.count;
    s->part_total = hz->xcalloc(n ? n : 1, sizeof *s->part_total);
    size_t *part_of = hz->xcalloc(n ? n : 1, sizeof *part_of);
    keytable parts;
    kt_init(&parts, sizeof(uint64_t));
    unsigned char *key = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *v = values_of(s, i);
        size_t len = 0;
        for (size_t j = 0; j < s->ngroup; j++) {
            uint64_t flen;
            const unsigned char *start = v;
            v = kt_get_varint(v, &flen);
            v += flen;
            if (!s->within[j]) continue;
            size_t field = (size_t)(v - start); /* its varint length and its bytes */
            if (len + field > cap) key = hz->xrealloc(key, cap = 2 * (len + field));
            memcpy(key + len, start, field);
            len += field;
        }
        part_of[i] = kt_lookup(&parts, key ? key : (const unsigned char *)"", len,
                               kt_hash(key ? key : (const unsigned char *)"", len, 0), true, NULL);
        *(uint64_t *)kt_payload(&parts, part_of[i]) += group_at(s, i)->count;
    }
    for (size_t i = 0; i < n; i++) s->part_total[i] = *(uint64_t *)kt_payload(&parts, part_of[i]);
    free(key);
    free(part_of);
    kt_free(&parts);
}

static void prepare(agg_state *s) {
    /* No group_by: one total row, even of zero rows. */
    if (s->ngroup == 0 && s->groups.count == 0) {
        bool added;
        kt_lookup(&s->groups, "", 0, kt_hash("", 0, 0), true, &added);
        group_at(s, 0)->feed = UINT32_MAX;
    }
    size_t n = s->groups.count;
    s->order = hz->xcalloc(n ? n : 1, sizeof *s->order);
    size_t *tmp = hz->xcalloc(n ? n : 1, sizeof *tmp);
    for (size_t i = 0; i < n; i++) s->total += group_at(s, i)->count;
    if (s->nwithin) part_totals(s);
    if (s->suppress > 0) {
        size_t primary = suppress_primary(s);
        size_t secondary = s->secondary && primary ? suppress_secondary(s, s->order, tmp) : 0;
        if (primary)
            hz->summary_note(s->c, "%zu group%s with a count below %lld suppressed (shown as '%s')", primary,
                             primary == 1 ? "" : "s", (long long)s->suppress, s->marker);
        if (secondary)
            hz->summary_note(s->c,
                             "%zu more suppressed so that no table line has a lone suppressed cell "
                             "(suppress_secondary)",
                             secondary);
    }
    for (size_t i = 0; i < n; i++) s->order[i] = i;
    s->norder = n;
    if (s->order_by_count || s->top > 0) {
        kt_sort(s->order, tmp, n, cmp_published, s);
        rank_and_cut(s);
    }
    if (!s->order_by_count) kt_sort(s->order, tmp, s->norder, cmp_values, s);
    free(tmp);
    s->prepared = true;
}

/* A count x 10^(digits+2) / total, rounded half up: the share's digits. */
static uint64_t scaled_share(uint64_t count, uint64_t total, int digits) {
    uint64_t scale = 100;
    for (int d = 0; d < digits; d++) scale *= 10;
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 wide;
    return (uint64_t)(((wide)count * scale * 2 + total) / ((wide)total * 2));
#else
    return (uint64_t)((long double)count * scale / total + 0.5L);
#endif
}

/* A copy of `n` bytes of `buf` in the batch. */
static hz_field copy_field(hz_batch *out, const char *buf, int n) {
    char *p = hz->batch_alloc(out, (size_t)n);
    memcpy(p, buf, (size_t)n);
    return (hz_field){p, (size_t)n};
}

static hz_field unsigned_field(hz_batch *out, uint64_t v) {
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return copy_field(out, buf, n);
}

static hz_field signed_field(hz_batch *out, int64_t v) {
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    return copy_field(out, buf, n);
}

static hz_field share_field(const agg_state *s, hz_batch *out, size_t i, uint64_t count) {
    uint64_t total = s->part_total ? s->part_total[i] : s->total; /* share_within: of its part */
    if (total == 0) return (hz_field){"", 0};                     /* 0 of 0 rows: no share */
    uint64_t q = scaled_share(count, total, s->share_digits), unit = 1;
    for (int d = 0; d < s->share_digits; d++) unit *= 10;
    char buf[48];
    int n = s->share_digits ? snprintf(buf, sizeof buf, "%llu.%0*llu", (unsigned long long)(q / unit),
                                       s->share_digits, (unsigned long long)(q % unit))
                            : snprintf(buf, sizeof buf, "%llu", (unsigned long long)q);
    return copy_field(out, buf, n);
}

static void emit(agg_state *s, size_t i, hz_batch *out) {
    group *g = group_at(s, i);
    bool hidden = g->flags & GROUP_SUPPRESSED;
    hz_field marker = {s->marker, strlen(s->marker)};
    hz_field *row = hz->batch_add_row(out, (hz_origin){g->line, g->feed, 0});
    size_t col = 0;
    if (s->rank) row[col++] = g->rank ? unsigned_field(out, g->rank) : (hz_field){"", 0};
    const unsigned char *v = values_of(s, i);
    for (size_t j = 0; j < s->ngroup; j++) {
        uint64_t len;
        v = kt_get_varint(v, &len);
        row[col++] = (hz_field){(const char *)v, (size_t)len};
        v += len;
    }
    row[col++] = hidden ? marker : unsigned_field(out, g->count);
    for (size_t j = 0; j < s->nsum; j++) row[col++] = hidden ? marker : signed_field(out, g->sums[j]);
    if (s->share) row[col++] = hidden ? marker : share_field(s, out, i, g->count);
    if (s->flag) row[col++] = hidden ? (hz_field){"yes", 3} : (hz_field){"no", 2};
}

int aggregate_finish(hz_component *c, void *self, hz_batch *out) {
    agg_state *s = self;
    (void)c;
    if (!s->prepared) prepare(s);
    while (s->next < s->norder && out->nrows < out->capacity) emit(s, s->order[s->next++], out);
    return s->next < s->norder ? 1 : 0;
}
