/* max_rejects, "a count or a percent, per source or per pipeline":
 *
 *   max_rejects: 1000        at the top level: more rejected rows than this, wherever
 *   max_rejects: 2%          rejected, fail the run; a percent is of the rows every
 *                            source read
 *   sources:
 *     global: {type: csv, path: global.csv, max_rejects: 0.5%}
 *                            on a source: the same for the rows it read, rejected by
 *                            itself or by any transform downstream (a row carries the
 *                            feed it came from: hz_origin.feed)
 *
 * A count is judged at each reject and stops the run the moment it is
 * exceeded.  A percent can only be judged once every row is read: it is,
 * once, before any output is prepared, so nothing is published. */
#define _POSIX_C_SOURCE 200809L
#include "reject_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

/* Decimals a percent may have: 0.000001% is one row in 100 million. */
#define MAX_DECIMALS 6

#define WHAT "a whole number >= 0 (a count of rows) or a percent from 0% to 100% (like 2% or 0.5%)"
static const char *const usage = "'max_rejects' must be " WHAT;

static bool all_digits(const char *s, size_t n) {
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* "12.5" (digits, optionally a point and digits) as num / scale. */
static bool parse_decimal(const char *s, size_t n, hz_reject_percent *out, bool *too_precise) {
    const char *point = memchr(s, '.', n);
    size_t whole = point ? (size_t)(point - s) : n, frac = point ? n - whole - 1 : 0;
    *too_precise = false;
    if (!all_digits(s, whole) || (point && !all_digits(point + 1, frac))) return false;
    if (frac > MAX_DECIMALS) {
        *too_precise = true;
        return false;
    }
    while (whole > 1 && *s == '0') s++, whole--;
    if (whole > 3) { /* more than 100% anyway */
        *out = (hz_reject_percent){1000, 1};
        return true;
    }
    uint64_t num = 0, scale = 1;
    for (size_t i = 0; i < whole; i++) num = num * 10 + (uint64_t)(s[i] - '0');
    for (size_t i = 0; i < frac; i++) num = num * 10 + (uint64_t)(point[1 + i] - '0'), scale *= 10;
    while (scale > 1 && num % 10 == 0) num /= 10, scale /= 10; /* 2.50% is 2.5% */
    *out = (hz_reject_percent){num, scale};
    return true;
}

/* The percent as written back: 2, 0.5, 12.25. */
static void format_percent(char *buf, size_t size, hz_reject_percent pc) {
    int n = snprintf(buf, size, "%llu", (unsigned long long)(pc.num / pc.scale));
    uint64_t frac = pc.num % pc.scale;
    if (pc.scale == 1 || n < 0) return;
    for (uint64_t s = pc.scale / 10; s > 0 && (size_t)n + 2 < size; s /= 10) {
        if (s == pc.scale / 10) buf[n++] = '.';
        buf[n++] = (char)('0' + frac / s % 10);
    }
    buf[n] = '\0';
}

bool hz_reject_limit_parse(const hz_value *v, int64_t *count, hz_reject_percent *percent, char *msg,
                           size_t msg_size) {
    *count = -1;
    *percent = (hz_reject_percent){0, 0};
    if (!v || v->kind != HZ_VALUE_SCALAR) {
        snprintf(msg, msg_size, "%s", usage);
        return false;
    }
    const char *s = v->text;
    size_t n = strlen(s);
    if (s[0] == '-' && n > 1 && s[1] >= '0' && s[1] <= '9') {
        snprintf(msg, msg_size, "'max_rejects: %s' is negative: it must be %s", s, WHAT);
        return false;
    }
    if (n == 0 || s[n - 1] != '%') {
        int64_t c;
        hz_reject_percent d;
        bool too_precise;
        if (hz_value_parse_int(v, &c) && c >= 0) {
            *count = c;
            return true;
        }
        if (memchr(s, '.', n) && parse_decimal(s, n, &d, &too_precise))
            snprintf(msg, msg_size,
                     "'max_rejects: %s' is not a whole number: a count of rows is whole, a percent ends "
                     "in '%%' (%s%%)",
                     s, s);
        else
            snprintf(msg, msg_size, "%s", usage);
        return false;
    }
    size_t body = n - 1;
    bool spaced = false, too_precise = false;
    while (body > 0 && (s[body - 1] == ' ' || s[body - 1] == '\t')) body--, spaced = true;
    hz_reject_percent pc;
    if (!parse_decimal(s, body, &pc, &too_precise)) {
        if (too_precise)
            snprintf(msg, msg_size, "'max_rejects: %s' has more than %d decimals", s, MAX_DECIMALS);
        else if (body == 0)
            snprintf(msg, msg_size, "'max_rejects: %s' has no number before '%%' (like 2%%)", s);
        else if (s[0] == '.' && parse_decimal(s + 1, body - 1, &pc, &too_precise) &&
                 !memchr(s + 1, '.', body - 1))
            snprintf(msg, msg_size, "'max_rejects: %s' needs a digit before the point: write it 0%s", s, s);
        else
            snprintf(msg, msg_size, "%s", usage);
        return false;
    }
    if (spaced) {
        snprintf(msg, msg_size, "'max_rejects: %s' has a space before '%%': write it %.*s%%", s, (int)body,
                 s);
        return false;
    }
    if (pc.num > 100 * pc.scale) {
        snprintf(msg, msg_size, "'max_rejects: %s' is more than 100%%: a percent goes from 0%% to 100%%", s);
        return false;
    }
    *percent = pc;
    return true;
}

static const char *rows(uint64_t n) {
    return n == 1 ? "row" : "rows";
}

/* 1234567 as "1,234,567". */
static char *grouped(char *buf, size_t size, uint64_t n) {
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

void hz_reject_limits_count(hz_pipeline *p, hz_origin origin) {
    hz_component *src = origin.feed < p->nfeeds ? p->feeds[origin.feed].source : NULL;
    if (src) src->origin_rejects++;
    if (p->failed) return; /* stopping already: one reason is enough */
    if (src && src->max_rejects >= 0 && src->origin_rejects > (uint64_t)src->max_rejects) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR,
                    "source '%s' had %llu rejected %s, more than its max_rejects of %lld: stopping",
                    src->name, (unsigned long long)src->origin_rejects, rows(src->origin_rejects),
                    (long long)src->max_rejects);
        p->failed = true;
    } else if (p->max_rejects >= 0 && p->total_rejects > (uint64_t)p->max_rejects) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR,
                    "%llu rows rejected, more than max_rejects (%lld) allows: stopping",
                    (unsigned long long)p->total_rejects, (long long)p->max_rejects);
        p->failed = true;
    }
}

/* a * b as two 64-bit halves: the products compared below may pass 2^64. */
static void mul_wide(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    *lo = (p00 & 0xffffffffu) | (mid << 32);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* rejected / read > limit percent, exactly: rejected * 100 * scale > num * read. */
static bool over(uint64_t rejected, uint64_t read, hz_reject_percent limit) {
    uint64_t lh, ll, rh, rl;
    mul_wide(rejected, 100 * limit.scale, &lh, &ll);
    mul_wide(read, limit.num, &rh, &rl);
    return lh > rh || (lh == rh && ll > rl);
}

/* Report a percent exceeded: `who` had `rejected` of `read` rows. */
static void fail_percent(hz_pipeline *p, const char *who, const char *its, uint64_t rejected, uint64_t read,
                         hz_reject_percent limit) {
    char limit_text[48], shown[48], r1[32], r2[32];
    format_percent(limit_text, sizeof limit_text, limit);
    /* The share with one decimal, or as many more as it takes to show
     * that it is more than the limit (2.04% of a 2% limit). */
    long double share = (long double)rejected * 100.0L / (long double)read,
                max = (long double)limit.num / (long double)limit.scale;
    for (int d = 1; d <= 12; d++) {
        snprintf(shown, sizeof shown, "%.*Lf", d, share);
        if (strtold(shown, NULL) > max) break;
    }
    hz_diag_now(
        p->diag, HZ_DIAG_ERROR,
        "%s had %s rejected %s of %s read (%s%%), more than %smax_rejects of %s%%: nothing is published", who,
        grouped(r1, sizeof r1, rejected), rows(rejected), grouped(r2, sizeof r2, read), shown, its,
        limit_text);
    p->failed = true;
}

void hz_reject_limits_check(hz_pipeline *p) {
    if (p->failed) return;
    uint64_t read = 0;
    for (size_t i = 0; i < p->nsources; i++) {
        hz_component *c = p->sources[i];
        read += c->rows_in;
        /* No rows read, no share of them: min_rows is the guard there. */
        if (!c->max_rejects_percent.scale || c->rows_in == 0) continue;
        if (over(c->origin_rejects, c->rows_in, c->max_rejects_percent)) {
            char who[300];
            snprintf(who, sizeof who, "source '%s'", c->name);
            fail_percent(p, who, "its ", c->origin_rejects, c->rows_in, c->max_rejects_percent);
        }
    }
    if (p->max_rejects_percent.scale && read > 0 && over(p->total_rejects, read, p->max_rejects_percent))
        fail_percent(p, "the sources", "", p->total_rejects, read, p->max_rejects_percent);
}
