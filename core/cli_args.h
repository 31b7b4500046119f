/* cli_args.h - the options run, validate and test take alike: --set
 * NAME=VALUE and --plugin-path DIR (each also as --OPTION=VALUE) and
 * --allow-insecure-plugins, read by one function so that they mean the same
 * and say the same when misused. */
#ifndef HZ_CLI_ARGS_H
#define HZ_CLI_ARGS_H
#include <stddef.h>

#include "vars.h"

typedef struct hz_cli_shared {
    hz_vars *vars;      /* --set values go here */
    char **plugin_dirs; /* --plugin-path folders, in order (owned: free each and the array) */
    size_t nplugin_dirs;
    int allow_insecure_plugins;
} hz_cli_shared;

/* If argv[*i] is one of the shared options, take it and its value
 * (advancing *i past a separate value) into `s`: 1.  Not one of them: 0.
 * A missing or malformed value: 2, after printing the usage error with
 * "(try: HELP)". */
int hz_cli_take_shared(int argc, char **argv, int *i, hz_cli_shared *s, const char *help);
#endif
