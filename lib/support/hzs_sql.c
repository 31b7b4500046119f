/* Column types of the SQL sinks (see hzs_sql.h). */
#define _POSIX_C_SOURCE 200809L
#include <support/hzs_sql.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[] = {"TEXT", "INTEGER", "REAL", "DATE"};

const char *sql_type_name(sql_type t) {
    return type_names[t];
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcasecmp(s + n - k, suffix);
}

sql_type sql_type_infer(const char *column) {
    static const char *const integers[] = {"year", "age", "n", "count"};
    static const char *const reals[] = {"share", "percent", "pct"};
    for (size_t i = 0; i < sizeof integers / sizeof *integers; i++)
        if (!strcasecmp(column, integers[i])) return SQL_INTEGER;
    if (ends_with(column, "_count")) return SQL_INTEGER;
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, "_%s", reals[i]);
        if (!strcasecmp(column, reals[i]) || ends_with(column, suffix)) return SQL_REAL;
    }
    return SQL_TEXT;
}

int sql_types_plan(hz_component *c, const hz_schema *in, sql_type *types, bool *declared) {
    size_t n = hz->schema_count(in);
    for (size_t i = 0; i < n; i++) {
        types[i] = sql_type_infer(hz->schema_name(in, i));
        declared[i] = false;
    }
    const hz_value *map = hz->option(c, "types");
    int rc = 0;
    for (size_t k = 0; map && k < hz->value_count(map); k++) {
        const hz_value *key = hz->value_key(map, k), *val = hz->value_item(map, k);
        long i = hz->schema_require(c, in, hz->value_string(key), key);
        const char *name = hz->value_string(val);
        size_t t = 0;
        while (t < 4 && !(name && !strcasecmp(name, type_names[t]))) t++;
        if (t == 4) {
            hz->config_error(c, val, "a column type is TEXT, INTEGER, REAL or DATE, not '%s'",
                             name ? name : "(a list or map)");
            rc = -1;
        }
        if (i < 0) rc = -1;
        if (i >= 0 && t < 4) {
            types[i] = (sql_type)t;
            declared[i] = true;
        }
    }
    return rc;
}

static const char *check_integer(const char *p, size_t n, int64_t *out) {
    size_t i = 0;
    bool negative = false;
    if (p[0] == '-' || p[0] == '+') negative = p[i++] == '-';
    if (i == n) return "is not a whole number";
    uint64_t v = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return "is not a whole number";
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (limit - d) / 10) return "does not fit in 64 bits";
        v = v * 10 + d;
    }
    *out = negative ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return NULL;
}

static size_t digits(const char *p, size_t n, size_t i) {
    size_t start = i;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    return i - start;
}

static const char *check_real(const char *p, size_t n) {
    size_t i = 0;
    if (p[i] == '-' || p[i] == '+') i++;
    size_t whole = digits(p, n, i), frac = 0;
    i += whole;
    if (i < n && p[i] == '.') {
        frac = digits(p, n, i + 1);
        i += 1 + frac;
    }
    if (whole + frac == 0) return "is not a number";
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '-' || p[i] == '+')) i++;
        size_t exp = digits(p, n, i);
        if (exp == 0) return "is not a number";
        i += exp;
    }
    return i == n ? NULL : "is not a number";
}

static const char *check_date(const char *p, size_t n) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || p[4] != '-' || p[7] != '-') return "is not a date (YYYY-MM-DD)";
    int v[3] = {0, 0, 0};
    const size_t at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (size_t j = at[k]; j < at[k] + len[k]; j++) {
            if (p[j] < '0' || p[j] > '9') return "is not a date (YYYY-MM-DD)";
            v[k] = v[k] * 10 + (p[j] - '0');
        }
    bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[1] < 1 || v[1] > 12) return "has no such month";
    int max = days[v[1] - 1] + (v[1] == 2 && leap);
    if (v[2] < 1 || v[2] > max) return "has no such day";
    return NULL;
}

const char *sql_value_check(sql_type t, const char *p, size_t n, int64_t *as_int) {
    int64_t ignored;
    switch (t) {
    case SQL_INTEGER: return check_integer(p, n, as_int ? as_int : &ignored);
    case SQL_REAL: return check_real(p, n);
    case SQL_DATE: return check_date(p, n);
    default: return NULL;
    }
}

void sql_value_error(hz_component *c, const hz_batch *b, size_t row, const char *column, sql_type t,
                     bool declared, const hz_field *f, const char *why) {
    const char *component = NULL, *file = NULL;
    hz->feed_describe(c, b->origins[row].feed, &component, &file);
    /* Show at most 40 bytes of the value, control characters as '?'. */
    char shown[48];
    size_t k = 0;
    for (; k < f->len && k < 40; k++) shown[k] = (unsigned char)f->ptr[k] < 0x20 ? '?' : f->ptr[k];
    if (k < f->len)
        while (k > 0 && ((unsigned char)f->ptr[k] & 0xC0) == 0x80) k--; /* cut between characters */
    shown[k] = '\0';
    /* An inferred type may simply be wrong for this feed: say how to
     * override it. */
    char hint[200] = "";
    if (!declared)
        snprintf(hint, sizeof hint,
                 " (its type comes from its name: declare `types: {%.100s: TEXT}` to keep text)", column);
    hz->error(c, "%s:%llu: column '%s' is %s but '%s%s' %s%s", file ? file : "?",
              (unsigned long long)b->origins[row].line, column, sql_type_name(t), shown,
              k < f->len ? "..." : "", why, hint);
}

int sql_is_index_column(const char *column) {
    return ends_with(column, "_iso3") || !strcasecmp(column, "iso3");
}
