/* The options run, validate and test share (see cli_args.h). */
#include "cli_args.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static int usage_error(const char *help, const char *fmt, const char *arg) {
    fputs("harmonize: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try: %s)\n", help);
    return 2;
}

/* argv[*i] is --NAME or --NAME=VALUE: its value (the next argument for the
 * first, advancing *i), or NULL when there is none. */
static const char *value_of(int argc, char **argv, int *i, const char *name) {
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (arg[n] == '=') return arg + n + 1;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int is_option(const char *arg, const char *name) {
    size_t n = strlen(name);
    return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

int hz_cli_take_shared(int argc, char **argv, int *i, hz_cli_shared *s, const char *help) {
    const char *arg = argv[*i];
    if (is_option(arg, "--set")) {
        const char *val = value_of(argc, argv, i, "--set");
        if (!val) return usage_error(help, "%s needs NAME=VALUE", "--set");
        if (hz_vars_set(s->vars, val) != 0) return usage_error(help, "--set needs NAME=VALUE, not '%s'", val);
        return 1;
    }
    if (is_option(arg, "--plugin-path")) {
        const char *val = value_of(argc, argv, i, "--plugin-path");
        if (!val) return usage_error(help, "%s needs a folder", "--plugin-path");
        s->plugin_dirs = hz_xrealloc(s->plugin_dirs, (s->nplugin_dirs + 1) * sizeof *s->plugin_dirs);
        s->plugin_dirs[s->nplugin_dirs++] = hz_xstrdup(val);
        return 1;
    }
    if (!strcmp(arg, "--allow-insecure-plugins")) {
        s->allow_insecure_plugins = 1;
        return 1;
    }
    return 0;
}
