/* Alias files of a pipeline (`aliases: aliases/germany.tsv`): read line by
 * line, every problem reported with its line. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_country.h"
#include "country_repair.h"

static void report_at(hz_country_report_fn report, void *ctx, const char *name, size_t line,
                      const char *what) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s:%zu: %s", name, line, what);
    report(ctx, msg);
}

/* One data line: the alias and its code, separated by a tab. */
static int load_line(hz_country_matcher *m, char *s, size_t n, const char *origin, char *why, size_t cap) {
    char *tab = memchr(s, '\t', n);
    if (!tab) {
        snprintf(why, cap, "expected alias<TAB>iso3, found no tab");
        return -1;
    }
    char *code = tab + 1, *end = memchr(code, '\t', n - (size_t)(code - s));
    size_t code_len = end ? (size_t)(end - code) : n - (size_t)(code - s);
    while (code_len && isspace((unsigned char)code[code_len - 1])) code_len--;
    while (code_len && isspace((unsigned char)*code)) code++, code_len--;
    char iso3[4] = {0};
    if (code_len != 3) {
        snprintf(why, cap, "'%.*s' is not an alpha-3 code (three letters, e.g. TUR)", (int)code_len, code);
        return -1;
    }
    for (size_t i = 0; i < 3; i++) iso3[i] = (char)toupper((unsigned char)code[i]);
    return hz_country_matcher_add_alias(m, s, (size_t)(tab - s), iso3, origin, why, cap);
}

int hz_country_matcher_load_aliases(hz_country_matcher *m, const char *path, const char *name,
                                    hz_country_report_fn report, void *ctx) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[1024];
        snprintf(msg, sizeof msg, "cannot read alias file %s: %s", name, strerror(errno));
        report(ctx, msg);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int problems = 0;
    bool seen_data = false;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t n = (size_t)got;
        lineno++;
        char *s = line;
        if (lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, n -= 3; /* BOM */
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
        s[n] = '\0';
        size_t start = 0;
        while (start < n && (s[start] == ' ' || s[start] == '\t')) start++;
        if (start == n || s[start] == '#') continue;
        bool first = !seen_data;
        seen_data = true;
        if (first && !strncmp(s, "alias\tiso3", 10)) continue; /* a header */
        char why[768], origin[512];
        if (!hz_country_utf8_valid(s, n)) {
            report_at(report, ctx, name, lineno, "the line is not valid UTF-8 (save the file as UTF-8)");
            problems++;
            continue;
        }
        snprintf(origin, sizeof origin, "%s:%zu", name, lineno);
        if (load_line(m, s, n, origin, why, sizeof why) != 0) {
            report_at(report, ctx, name, lineno, why);
            problems++;
        }
    }
    bool failed = ferror(f);
    free(line);
    fclose(f);
    if (failed) {
        report_at(report, ctx, name, lineno + 1, "read error");
        return -1;
    }
    return problems;
}
