/* `harmonize plugins [NAME]`: what is installed, and each plugin's options
 * straight from its typed table, so the documentation cannot drift. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "options.h"
#include "registry.h"
#include "util.h"

static void print_class(const hz_class *cls) {
    const hz_option *opts = cls->options, *end = opts + cls->noptions;
    int width = 6; /* "option" */
    for (const hz_option *o = opts; o < end; o++)
        if ((int)strlen(o->name) > width) width = (int)strlen(o->name);
    printf("\n%s: %s\n", hz_role_name(cls->role), cls->doc ? cls->doc : "");
    printf("  %-*s  %-6s  %-14s  %-8s  %s\n", width, "option", "type", "default", "required", "doc");
    for (const hz_option *o = opts; o < end; o++) {
        printf("  %-*s  %-6s  %-14s  %-8s  %s", width, o->name, hz_option_type_name(o->type),
               o->default_value ? o->default_value : "-", o->required ? "yes" : "no", o->doc ? o->doc : "");
        if (o->type == HZ_OPT_ENUM && o->choices) printf(" (%s)", o->choices);
        putchar('\n');
    }
    if (cls->noutputs) {
        /* What `inputs: [NAME.OUTPUT]` can read besides the rows. */
        printf("  named outputs (read as COMPONENT.OUTPUT):\n");
        for (size_t i = 0; i < cls->noutputs; i++)
            printf("  %-*s  %s\n", width, cls->outputs[i].name,
                   cls->outputs[i].doc ? cls->outputs[i].doc : "");
    }
}

/* Where plugins were looked for, in order, each found or missing: an empty
 * list then says why. */
static void print_folders(const hz_registry *reg) {
    fprintf(stderr, "harmonize: plugin folders searched, in order:\n");
    for (size_t i = 0; i < reg->search.count; i++) {
        const hz_plugin_folder *f = &reg->search.folders[i];
        struct stat st;
        bool found = stat(f->dir, &st) == 0 && S_ISDIR(st.st_mode);
        fprintf(stderr, "  %-7s %s (%s)\n", found ? "found" : "missing", f->dir, f->origin);
    }
}

int hz_cmd_plugins(int argc, char **argv) {
    const char *name = NULL;
    char **dirs = NULL;
    size_t ndirs = 0;
    int status = 0;
    bool allow_insecure = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--allow-insecure-plugins")) {
            allow_insecure = true;
        } else if (!strcmp(argv[i], "--plugin-path") && i + 1 < argc) {
            dirs = hz_xrealloc(dirs, (ndirs + 1) * sizeof *dirs);
            dirs[ndirs++] = argv[++i];
        } else if (!strcmp(argv[i], "--help")) {
            free(dirs);
            return hz_print_command_help("plugins");
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "harmonize: unknown option '%s' (try: harmonize plugins --help)\n", argv[i]);
            free(dirs);
            return 2;
        } else {
            name = argv[i];
        }
    }
    hz_diag diag = {0};
    hz_registry *reg = hz_registry_new((const char *const *)dirs, ndirs, allow_insecure);
    char kinds[64];
    if (!name) {
        size_t files = hz_registry_load_all(reg, &diag);
        print_folders(reg);
        if (diag.count) hz_diag_print(&diag, stderr);
        if (diag.errors) status = 2;
        if (!files) {
            fprintf(stderr,
                    "harmonize: no plugin found (a plugin is a NAME.so file in one of these folders)\n");
            status = 2;
        }
        printf("%-12s %-22s %-9s %-5s %s\n", "name", "kinds", "version", "abi", "path");
        for (size_t i = 0; i < reg->count; i++) {
            const hz_plugin *p = reg->plugins[i]->desc;
            printf("%-12s %-22s %-9s %u.%-3u %s\n", p->name,
                   hz_plugin_kinds(reg->plugins[i], kinds, sizeof kinds), p->version, p->abi_major,
                   p->abi_minor, reg->plugins[i]->path);
        }
    } else {
        const hz_loaded_plugin *lp;
        hz_plugin_status st = hz_registry_need(reg, name, &diag, &lp);
        if (diag.count) hz_diag_print(&diag, stderr);
        if (st == HZ_PLUGIN_MISSING) {
            char *folders = hz_registry_folders_text(reg);
            fprintf(stderr, "harmonize: no plugin named '%s': no %s.so in: %s (see: harmonize plugins)\n",
                    name, name, folders);
            free(folders);
            status = 2;
        } else if (st == HZ_PLUGIN_REFUSED) {
            status = 2;
        } else {
            const hz_plugin *p = lp->desc;
            printf("%s %s (%s), ABI %u.%u\n%s\n%s\n", p->name, p->version,
                   hz_plugin_kinds(lp, kinds, sizeof kinds), p->abi_major, p->abi_minor,
                   p->description ? p->description : "", lp->path);
            for (int role = 0; role < 3; role++)
                if (lp->classes[role]) print_class(lp->classes[role]);
        }
    }
    hz_registry_free(reg);
    hz_diag_free(&diag);
    free(dirs);
    return status;
}
