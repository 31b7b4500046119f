/* Explaining libyaml's scanner errors (see yaml_problem.h).
 *
 * libyaml says "found character that cannot start any token" for a tab in
 * the indentation and for a plain value starting with a character YAML
 * keeps for itself ('%' starts a directive, '@' and '`' are reserved):
 * the same words for different mistakes, none of them naming the
 * character.  The character is read from the file at libyaml's mark. */
#define _POSIX_C_SOURCE 200809L
#include "yaml_problem.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util.h"

#define CANNOT_START "found character that cannot start any token"
/* libyaml's other words for a tab where YAML wants spaces ("found a tab
 * character that violates indentation", "... where an indentation space
 * is expected") */
#define TAB_PROBLEM "found a tab character"
/* A flow collection ({a: b} or [a, b]) whose next entry did not parse:
 * for a ${VAR} in it, because '{' and '}' are flow indicators there. */
#define FLOW_PROBLEM "did not find expected ','"

/* Line `line` (0-based) of f, without its line break; NULL past the end. */
static char *read_line(FILE *f, size_t line) {
    if (fseek(f, 0, SEEK_SET) != 0) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    for (size_t i = 0;; i++) {
        ssize_t n = getline(&buf, &cap, f);
        if (n < 0) break;
        if (i < line) continue;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
        return buf;
    }
    free(buf);
    return NULL;
}

/* The byte where character `column` (0-based, as libyaml counts: one per
 * UTF-8 sequence) of `s` starts; NULL past the end. */
static const char *at_column(const char *s, size_t column) {
    size_t chars = 0;
    for (const char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80) continue;
        if (chars++ == column) return p;
    }
    return NULL;
}

/* The value as written from `p` to the end of the line, without a
 * trailing comment (" #") or blanks. */
static size_t value_length(const char *p) {
    size_t n = strlen(p);
    for (size_t i = 1; i < n; i++)
        if (p[i] == '#' && (p[i - 1] == ' ' || p[i - 1] == '\t')) {
            n = i;
            break;
        }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    return n;
}

/* `p` (n bytes) quoted as YAML reads it back unchanged: in double quotes
 * unless it holds a '"' or a '\' (escapes there), else in single quotes,
 * where only a ' is doubled. */
static void quote_value(hz_strbuf *out, const char *p, size_t n) {
    if (!memchr(p, '"', n) && !memchr(p, '\\', n)) {
        hz_strbuf_printf(out, "\"%.*s\"", (int)n, p);
        return;
    }
    hz_strbuf_add(out, "'", 1);
    for (size_t i = 0; i < n; i++) hz_strbuf_add(out, p[i] == '\'' ? "''" : p + i, 1 + (p[i] == '\''));
    hz_strbuf_add(out, "'", 1);
}

/* The length of a plain value in a flow collection starting at `p`: up to
 * the first ',', '}' or ']' outside a ${...}. */
static size_t flow_value_length(const char *p) {
    size_t i = 0;
    while (p[i] && p[i] != ',' && p[i] != '}' && p[i] != ']') {
        if (p[i] == '$' && p[i + 1] == '{') {
            const char *close = strchr(p + i, '}');
            if (!close) return strlen(p);
            i = (size_t)(close - p) + 1;
        } else {
            i++;
        }
    }
    while (i > 0 && (p[i - 1] == ' ' || p[i - 1] == '\t')) i--;
    return i;
}

char *hz_yaml_problem_explain(FILE *f, const char *problem, size_t line, size_t column) {
    if (!f || !problem) return NULL;
    bool tab_problem = !strncmp(problem, TAB_PROBLEM, strlen(TAB_PROBLEM));
    bool flow_problem = !strncmp(problem, FLOW_PROBLEM, strlen(FLOW_PROBLEM));
    if (!tab_problem && !flow_problem && strcmp(problem, CANNOT_START) != 0) return NULL;
    char *text = read_line(f, line);
    const char *p = text ? at_column(text, column) : NULL;
    char *msg = NULL;
    if (flow_problem) {
        /* libyaml stops at the '{' of "${": the '$' before it began the value. */
        if (p && p > text && *p == '{' && p[-1] == '$') {
            hz_strbuf out = {0};
            hz_strbuf_adds(&out, "a ${...} inside { } or [ ] must be quoted (there '{' and '}' belong to "
                                 "YAML): write ");
            quote_value(&out, p - 1, flow_value_length(p - 1));
            msg = out.data;
        }
    } else if (p && *p == '\t') {
        /* A tab in the leading blanks indents; elsewhere it separates. */
        bool indent = strspn(text, " \t") >= (size_t)(p - text) + 1;
        msg = hz_xstrdup(indent ? "a tab is used for indentation here; YAML indents with spaces only: "
                                  "replace the tab with spaces"
                                : "a tab cannot start a value here; YAML separates with spaces: "
                                  "replace the tab with spaces");
    } else if (tab_problem) {
        msg = hz_xstrdup("a tab is used where YAML needs spaces (it indents and separates with spaces "
                         "only): replace the tabs on this line with spaces");
    } else if (p && (*p == '%' || *p == '@' || *p == '`')) {
        const char *why = *p == '%' ? "" : " (it is reserved in YAML)";
        hz_strbuf out = {0};
        hz_strbuf_printf(&out, "a value cannot start with '%c'%s unless quoted: write ", *p, why);
        quote_value(&out, p, value_length(p));
        msg = out.data;
    }
    free(text);
    return msg;
}
