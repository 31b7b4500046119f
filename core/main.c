/* harmonize: turn many country-office exports into one harmonized dataset. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

#include <harmonize/plugin.h>

void hz_print_help(void) {
    fputs(
        "usage: harmonize <command> [options]\n"
        "\n"
        "commands:\n"
        "  run FILE [--set NAME=VALUE]... [--dry-run] [--quiet] [--wait SECONDS]\n"
        "                      run the pipeline FILE; a summary of rows per component goes to stderr;\n"
        "                      --dry-run builds the graph and prints it, reading no data; one run of a\n"
        "                      pipeline at a time: --wait waits that long for another to end;\n"
        "                      --timeout SECONDS stops a run that takes longer (exit 1, nothing published);\n"
        "                      --quiet prints errors only (nothing at all when the run succeeds);\n"
        "                      on a terminal each source's progress is shown (--progress, --no-progress\n"
        "                      force it on or off); --log-format json makes stderr one JSON object per\n"
        "                      line (events: docs/logging.md), --log-format text is the default\n"
        "  validate FILE [--set NAME=VALUE]... [--allow-insecure-plugins]\n"
        "                      check FILE and report every error as FILE:LINE:COL: error: MESSAGE\n"
        "  recover FILE [--wait SECONDS]\n"
        "                      finish or discard the publication of a killed run of FILE (every\n"
        "                      run does this first); nothing else is read or written\n"
        "  history FILE        the runs of FILE its state folder remembers (keep_runs): start,\n"
        "                      duration, status, rows read, written and rejected\n"
        "  plugins [NAME]      list the plugins found (name, kinds, version, ABI, path) and, on\n"
        "                      stderr, the folders searched; or the options of plugin NAME\n"
        "  country [--explain] [--kosovo separate|serbia] [--names iom|iso|short]\n"
        "          [--aliases FILE] [--version] [NAME...]\n"
        "                      look country names up in the reference table (with no NAME, one per\n"
        "                      line from stdin) and print: input, iso3, name, region, rule; iso3 is\n"
        "                      empty and rule is the reason for a refusal (unknown_country,\n"
        "                      ambiguous_country, not_a_country); --explain adds the normalized\n"
        "                      form and what matched; --version prints the table's version\n"
        "\n"
        "options for every command:\n"
        "  --plugin-path DIR   look for plugins in DIR first (may be repeated)\n"
        "  --allow-insecure-plugins\n"
        "                      (run, validate, plugins) load a plugin file or folder writable by\n"
        "                      others anyway, with a warning: for development only\n"
        "  --help, --version   (harmonize COMMAND --help, or harmonize help COMMAND: one command)\n"
        "\n"
        "Plugin NAME (a component's type:) is the file NAME.so in the first of these folders\n"
        "that has it: the pipeline's plugin_path, --plugin-path, $HARMONIZE_PLUGIN_PATH\n"
        "(folders separated by ':'), the folder beside this binary (plugins/.libs in the build\n"
        "tree, the installed plugin folder as seen from the bin folder when installed), then\n" HZ_PLUGINDIR
        ". Only the plugins a pipeline names are loaded, and a plugin\n"
        "file or folder writable by anyone but its owner (root or you) is refused unloaded.\n"
        "\n"
        "exit status:\n"
        "  0  success\n"
        "  1  the run failed (I/O error, unreadable feed, more rejects than max_rejects);\n"
        "     outputs of the previous successful run are left untouched\n"
        "  2  usage or configuration error: nothing was read, nothing was written\n"
        "  75 another run of the same pipeline holds its lock: nothing was done, try later\n"
        "\n"
        "See harmonize(1) and docs/plugin-guide.md.\n",
        stdout);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        hz_print_help();
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") && argc > 2) return hz_print_command_help(argv[2]);
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        hz_print_help();
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("harmonize %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, HZ_ABI_MAJOR, HZ_ABI_MINOR);
        return 0;
    }
    if (!strcmp(cmd, "run")) return hz_cmd_run(argc - 1, argv + 1, 0);
    if (!strcmp(cmd, "validate")) return hz_cmd_run(argc - 1, argv + 1, 1);
    if (!strcmp(cmd, "recover")) return hz_cmd_recover(argc - 1, argv + 1);
    if (!strcmp(cmd, "history")) return hz_cmd_history(argc - 1, argv + 1);
    if (!strcmp(cmd, "plugins")) return hz_cmd_plugins(argc - 1, argv + 1);
    if (!strcmp(cmd, "country")) return hz_cmd_country(argc - 1, argv + 1);
    fprintf(stderr, "harmonize: unknown command '%s' (try: harmonize --help)\n", cmd);
    return 2;
}
