/* `harmonize country`: look country spellings up in the reference table,
 * from the command line or one per line from stdin (bulk), and print what
 * each one resolves to and why. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "country/hz_country.h"
#include "util.h"

typedef struct country_args {
    int explain;
    hz_kosovo_policy kosovo;
    hz_names_policy names;
    const char *aliases;
    int first_name; /* argv index of the first NAME, or argc */
} country_args;

static int usage(const char *fmt, const char *arg) {
    fputs("harmonize country: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try: harmonize --help)\n", stderr);
    return 2;
}

static void print_version(void) {
    printf("country table %s: %zu countries and territories, %zu aliases, %zu refusals; "
           "misspellings %s: %zu\n",
           hz_country_data_version, hz_country_row_count, hz_country_alias_row_count,
           hz_country_refusal_row_count, hz_country_misspellings_version, hz_country_misspelling_row_count);
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, country_args *a) {
    a->first_name = argc;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(arg, "--explain")) {
            a->explain = 1;
        } else if (!strcmp(arg, "--kosovo")) {
            if (!val) return usage("%s needs a value: separate or serbia", arg);
            if (strcmp(val, "separate") && strcmp(val, "serbia"))
                return usage("--kosovo takes separate or serbia, not '%s'", val);
            a->kosovo = strcmp(val, "serbia") ? HZ_KOSOVO_SEPARATE : HZ_KOSOVO_SERBIA;
            i++;
        } else if (!strcmp(arg, "--names")) {
            if (!val) return usage("%s needs a value: iom, iso or short", arg);
            if (strcmp(val, "iom") && strcmp(val, "iso") && strcmp(val, "short"))
                return usage("--names takes iom, iso or short, not '%s'", val);
            a->names = !strcmp(val, "iom")   ? HZ_NAMES_IOM
                       : !strcmp(val, "iso") ? HZ_NAMES_ISO
                                             : HZ_NAMES_SHORT;
            i++;
        } else if (!strcmp(arg, "--aliases")) {
            if (!val) return usage("%s needs a file (alias<TAB>iso3 per line)", arg);
            a->aliases = val;
            i++;
        } else if (!strcmp(arg, "--version")) {
            print_version();
            return 0;
        } else if (!strcmp(arg, "--help")) {
            hz_print_command_help("country");
            return 0;
        } else if (!strcmp(arg, "--")) {
            a->first_name = i + 1;
            return -1;
        } else if (arg[0] == '-' && arg[1] == '-') {
            return usage("unknown option '%s'", arg);
        } else {
            a->first_name = i;
            return -1;
        }
    }
    return -1;
}

static void report_alias_problem(void *ctx, const char *message) {
    (void)ctx;
    fprintf(stderr, "harmonize country: %s\n", message);
}

/* The input as read, escaped so that it stays one TSV column: a backslash
 * is written `\\`, a tab `\t`, a carriage return `\r`, a line feed `\n`;
 * every other byte as is. */
static void add_escaped(hz_strbuf *line, const char *s, size_t n) {
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\\'   ? "\\\\"
                          : s[i] == '\t' ? "\\t"
                          : s[i] == '\r' ? "\\r"
                          : s[i] == '\n' ? "\\n"
                                         : NULL;
        if (!esc) continue;
        hz_strbuf_add(line, s + from, i - from);
        hz_strbuf_add(line, esc, 2);
        from = i + 1;
    }
    hz_strbuf_add(line, s + from, n - from);
}

static void answer(hz_country_matcher *m, const country_args *a, const char *s, size_t n, hz_strbuf *line) {
    hz_country_result r;
    char key[512], how[1024];
    if (a->explain)
        hz_country_explain(m, s, n, &r, key, sizeof key, how, sizeof how);
    else
        hz_country_match(m, s, n, &r);
    line->len = 0;
    add_escaped(line, s, n); /* the answer columns never hold a tab */
    const char *cols[] = {hz_country_iso3(m, &r), hz_country_name(m, &r), hz_country_region(m, &r),
                          hz_country_rule_name(&r)};
    for (size_t i = 0; i < 4; i++) {
        hz_strbuf_add(line, "\t", 1);
        hz_strbuf_adds(line, cols[i]);
    }
    if (a->explain) {
        hz_strbuf_add(line, "\t", 1);
        hz_strbuf_adds(line, key);
        hz_strbuf_add(line, "\t", 1);
        hz_strbuf_adds(line, how);
    }
    hz_strbuf_add(line, "\n", 1);
    fwrite(line->data, 1, line->len, stdout);
}

int hz_cmd_country(int argc, char **argv) {
    country_args a = {0, HZ_KOSOVO_SEPARATE, HZ_NAMES_IOM, NULL, 0};
    int status = parse(argc, argv, &a);
    if (status >= 0) return status;
    hz_country_matcher *m = hz_country_matcher_new(a.kosovo, a.names);
    if (!m) {
        fputs("harmonize country: out of memory\n", stderr);
        return 1;
    }
    if (a.aliases &&
        hz_country_matcher_load_aliases(m, a.aliases, a.aliases, report_alias_problem, NULL) != 0) {
        hz_country_matcher_free(m);
        return 2;
    }
    static char out_buf[1 << 16];
    setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    hz_strbuf line = {0};
    if (a.first_name < argc) {
        for (int i = a.first_name; i < argc; i++) answer(m, &a, argv[i], strlen(argv[i]), &line);
    } else {
        char *in = NULL;
        size_t cap = 0;
        ssize_t got;
        while ((got = getline(&in, &cap, stdin)) >= 0) {
            size_t n = (size_t)got;
            while (n && (in[n - 1] == '\n' || in[n - 1] == '\r')) n--;
            answer(m, &a, in, n, &line);
        }
        if (ferror(stdin)) {
            perror("harmonize country: reading stdin");
            status = 1;
        }
        free(in);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("harmonize country: writing stdout");
        status = 1;
    }
    hz_strbuf_free(&line);
    hz_country_matcher_free(m);
    return status < 0 ? 0 : status;
}
