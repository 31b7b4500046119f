/* Excel refuses to open a workbook whose sheet names break these rules,
 * so they are checked when the pipeline is validated, not at run time. */
#include "sheet_name.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cell_kind.h"

#define FORBIDDEN "[]:*?/\\"

const char *sheet_name_problem(const char *name) {
    size_t n = strlen(name);
    if (n == 0) return "is empty";
    if (cell_chars(name, n) > SHEET_NAME_MAX) return "is longer than 31 characters (Excel's limit)";
    if (strpbrk(name, FORBIDDEN)) return "contains one of the characters [ ] : * ? / \\ that Excel forbids";
    if (name[0] == '\'' || name[n - 1] == '\'')
        return "begins or ends with an apostrophe, which Excel forbids";
    if (!strcasecmp(name, "History")) return "is reserved by Excel";
    return NULL;
}

bool sheet_name_same(const char *a, const char *b) {
    return !strcasecmp(a, b);
}

/* Bytes of the first `chars` UTF-8 characters of s (all of s if shorter). */
static size_t prefix_bytes(const char *s, size_t chars) {
    size_t i = 0, seen = 0;
    for (; s[i]; i++) {
        bool starts_char = ((unsigned char)s[i] & 0xC0) != 0x80;
        if (starts_char && seen++ == chars) break;
    }
    return i;
}

/* `base` cut to `chars` characters, forbidden characters and an
 * apostrophe at either end made '_', then `suffix`. */
static void compose(const char *base, size_t chars, const char *suffix, char out[SHEET_NAME_BYTES]) {
    size_t n = prefix_bytes(base, chars);
    memcpy(out, base, n);
    for (size_t i = 0; i < n; i++)
        if (strchr(FORBIDDEN, out[i])) out[i] = '_';
    if (n && out[0] == '\'') out[0] = '_';
    if (n && out[n - 1] == '\'' && !*suffix) out[n - 1] = '_';
    snprintf(out + n, SHEET_NAME_BYTES - n, "%s", suffix);
}

void sheet_name_make(const char *base, char out[SHEET_NAME_BYTES],
                     bool (*taken)(const char *candidate, void *arg), void *arg) {
    compose(base, SHEET_NAME_MAX, "", out);
    for (unsigned k = 2; !*out || sheet_name_problem(out) || (taken && taken(out, arg)); k++) {
        char suffix[16];
        int len = snprintf(suffix, sizeof suffix, "~%u", k);
        compose(base, SHEET_NAME_MAX - (size_t)len, suffix, out);
    }
}
