/* `harmonize history FILE`: the runs of a pipeline, from the manifests its
 * state folder keeps (manifest.h): when each started, how long it took,
 * how it ended, and its rows read, written and rejected. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "manifest.h"
#include "pipeline.h"
#include "value.h"

/* Sum member `key` of the objects of `list` whose `filter_key` is the
 * string `filter_value`, or (filter_value NULL) is false when `want_false`. */
static json_int_t sum(const json_t *list, const char *key, const char *filter_key, const char *filter_value,
                      int want_false) {
    json_int_t total = 0;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        const char *value = filter_key ? json_string_value(json_object_get(o, filter_key)) : NULL;
        if (filter_value && (!value || strcmp(value, filter_value) != 0)) continue;
        if (filter_key && !filter_value && json_is_true(json_object_get(o, filter_key)) != !want_false)
            continue;
        total += json_integer_value(json_object_get(o, key));
    }
    return total;
}

static void print_run(const json_t *m, const char *run_id) {
    const char *started = json_string_value(json_object_get(m, "started"));
    char when[20] = "?";
    if (started) snprintf(when, sizeof when, "%.10s %.8s", started, started + 11);
    json_t *comps = json_object_get(m, "components");
    json_int_t read = sum(comps, "in", "kind", "source", 0);
    json_int_t written = sum(json_object_get(m, "outputs"), "rows", "rejects", NULL, 1);
    json_int_t rejected = json_integer_value(json_object_get(json_object_get(m, "rejects"), "total"));
    const char *status = json_string_value(json_object_get(m, "status"));
    printf("%-24s %-19s %9.2f s  %-16s %12lld %12lld %10lld\n", run_id, when,
           json_number_value(json_object_get(m, "duration_seconds")), status ? status : "?", (long long)read,
           (long long)written, (long long)rejected);
}

int hz_cmd_history(int argc, char **argv) {
    const char *file = NULL;
    hz_vars vars = {0};
    int status = 0;
    for (int i = 1; i < argc && status == 0; i++) {
        if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            if (hz_vars_set(&vars, argv[++i]) != 0) status = 2;
        } else if (!strncmp(argv[i], "--set=", 6)) {
            if (hz_vars_set(&vars, argv[i] + 6) != 0) status = 2;
        } else if (!strcmp(argv[i], "--help")) {
            hz_vars_free(&vars);
            return hz_print_command_help("history");
        } else if (argv[i][0] == '-' || file) {
            status = 2;
        } else {
            file = argv[i];
        }
    }
    if (status != 0 || !file) {
        fputs("harmonize: usage: harmonize history FILE [--set NAME=VALUE]...\n", stderr);
        hz_vars_free(&vars);
        return 2;
    }
    hz_diag diag = {0};
    hz_document *doc = hz_document_load(file, &vars, &diag);
    char *state = doc && doc->root ? hz_pipeline_state_dir(doc, file, &diag) : NULL;
    if (!state || diag.errors) {
        hz_diag_print(&diag, stderr);
        status = 2;
    } else {
        size_t n;
        char **ids = hz_run_ids(state, &n);
        if (!n) {
            printf("no run of %s is recorded in %s/runs\n", file, state);
        } else {
            printf("%-24s %-19s %11s  %-16s %12s %12s %10s\n", "run", "started (UTC)", "duration", "status",
                   "read", "written", "rejected");
            for (size_t i = 0; i < n; i++) {
                json_t *m = hz_manifest_load(state, ids[i]);
                if (m)
                    print_run(m, ids[i]);
                else
                    printf("%-24s (no readable manifest: the run was killed)\n", ids[i]);
                json_decref(m);
            }
        }
        hz_run_ids_free(ids, n);
    }
    free(state);
    hz_document_free(doc);
    hz_diag_free(&diag);
    hz_vars_free(&vars);
    return status;
}
