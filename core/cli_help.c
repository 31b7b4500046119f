/* `harmonize COMMAND --help` and `harmonize help COMMAND`: each command's
 * own usage, options and exit statuses (the global --help lists them all). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command_help {
    const char *name, *text;
} command_help;

static const command_help helps[] = {
    {"run", "usage: harmonize run FILE [options]\n"
            "\n"
            "Check the pipeline FILE, then run it: read its sources, push the rows through its\n"
            "transforms, and publish every output together (all or none).\n"
            "\n"
            "  --set NAME=VALUE     a value for ${NAME} in FILE (may be repeated)\n"
            "  --dry-run            build the graph and print it; read and write nothing\n"
            "  --quiet, -q          print errors only (nothing when the run succeeds)\n"
            "  --if-changed         skip the run (exit 0) when the pipeline, its plugins and inputs\n"
            "                       are those of the last successful run and its outputs are intact\n"
            "  --wait SECONDS       wait that long for another run of FILE to end (else exit 75)\n"
            "  --timeout SECONDS    stop a run that takes longer (exit 1, nothing published)\n"
            "  --progress, --no-progress\n"
            "                       force the progress line on or off (default: on a terminal)\n"
            "  --log-format text|json\n"
            "                       json: one JSON object per line on stderr (docs/logging.md)\n"
            "  --plugin-path DIR    look for plugins in DIR first (may be repeated)\n"
            "  --allow-insecure-plugins\n"
            "                       load a plugin file or folder writable by others anyway, with a\n"
            "                       warning (for development; refused otherwise, exit 2)\n"
            "\n"
            "Only the plugins FILE names (type:) are loaded: NAME.so from the first folder of the\n"
            "search path that has it (see: harmonize --help).\n"
            "\n"
            "exit status: 0 published; 1 the run failed, the previous outputs are untouched;\n"
            "2 usage or configuration error (a refused plugin too); 75 another run of FILE holds\n"
            "its lock\n"},
    {"validate", "usage: harmonize validate FILE [--set NAME=VALUE]... [--plugin-path DIR]...\n"
                 "                         [--allow-insecure-plugins]\n"
                 "\n"
                 "Check FILE as run does, reading no data and writing nothing; every error is printed\n"
                 "as FILE:LINE:COL: error: MESSAGE, and 'FILE: ok' when there is none. Only the\n"
                 "plugins FILE names are loaded; --allow-insecure-plugins as for run.\n"
                 "\n"
                 "exit status: 0 no error; 2 errors (an unreadable feed included)\n"},
    {"test", "usage: harmonize test FILE... [--set NAME=VALUE]... [--plugin-path DIR]...\n"
             "                         [--allow-insecure-plugins]\n"
             "\n"
             "Run the test cases of each test FILE (docs/pipeline-tests.md): FILE names its\n"
             "pipeline (pipeline:) and lists cases (tests:), each giving rows inline for the\n"
             "pipeline's sources (inputs:) and the rows expected at its components and sinks\n"
             "(expect:) and the rows it rejects (rejects:). Every source reads its inline rows\n"
             "(or, with read_feed: true, its own feed, read only); no sink is opened, and nothing\n"
             "is written (no output, state, lock or manifest). Every case is checked before any\n"
             "runs.\n"
             "\n"
             "Prints 'ok NAME' or 'FAIL NAME (FILE:LINE)' per case, with for a failure the rows\n"
             "missing, unexpected, or differing (column: expected, got), then 'N passed, M failed'.\n"
             "\n"
             "  --set NAME=VALUE     a value for ${NAME} in the pipeline and FILE (may be repeated)\n"
             "  --plugin-path DIR    look for plugins in DIR first (may be repeated)\n"
             "  --allow-insecure-plugins\n"
             "                       as for run\n"
             "\n"
             "exit status: 0 every case passed; 1 a case failed; 2 usage error, or a test file or\n"
             "its pipeline is wrong (FILE:LINE:COL: error: MESSAGE; no case is run)\n"},
    {"recover", "usage: harmonize recover FILE [--set NAME=VALUE]... [--wait SECONDS]\n"
                "\n"
                "Take FILE's lock and finish (its commit point was reached) or discard (it was not)\n"
                "the publication of a run of FILE that was killed, as every run does first. Nothing\n"
                "else is read or written.\n"
                "\n"
                "exit status: 0 done (or nothing to do); 1 the journal could not be acted on;\n"
                "2 usage or configuration error; 75 another run holds the lock\n"},
    {"history", "usage: harmonize history FILE [--set NAME=VALUE]...\n"
                "\n"
                "List the runs of FILE its state folder keeps (keep_runs), oldest first: run id,\n"
                "start (UTC), duration, status, rows read, written and rejected.\n"
                "\n"
                "exit status: 0; 2 usage or configuration error\n"},
    {"plugins", "usage: harmonize plugins [NAME] [--plugin-path DIR]... [--allow-insecure-plugins]\n"
                "\n"
                "Without NAME, load and list every plugin found (name, kinds, version, ABI, path); the\n"
                "folders searched, in order and each found or missing, go to stderr. With NAME, load\n"
                "only NAME.so and print its description and the option table of each kind it\n"
                "implements. A plugin file or folder writable by others is refused before it is\n"
                "loaded, unless --allow-insecure-plugins (then a warning).\n"
                "\n"
                "exit status: 0; 2 NAME not found, no plugin found at all, or a plugin file refused\n"},
    {"country", "usage: harmonize country [--explain] [--kosovo separate|serbia]\n"
                "                         [--names iom|iso|short] [--aliases FILE] [--version] [NAME...]\n"
                "\n"
                "Look country names up in the reference table (with no NAME, one per line from\n"
                "stdin) and print: input, iso3, name, region, rule; iso3 is empty and rule is the\n"
                "reason for a refusal (unknown_country, ambiguous_country, not_a_country).\n"
                "The input is echoed escaped: \\\\ for a backslash, \\t, \\r, \\n for a tab, CR, LF.\n"
                "--explain adds the normalized form and what matched; --version prints the table's\n"
                "version.\n"
                "\n"
                "exit status: 0; 2 usage error\n"},
};

int hz_print_command_help(const char *command) {
    for (size_t i = 0; i < sizeof helps / sizeof *helps; i++)
        if (!strcmp(helps[i].name, command)) {
            fputs(helps[i].text, stdout);
            return 0;
        }
    fprintf(stderr, "harmonize: no command '%s' (try: harmonize --help)\n", command);
    return 2;
}
