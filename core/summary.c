/* The run summary on stderr: rows in, out, rejected and absorbed per
 * component, so a reader can check that nothing went missing. */
#include <stdio.h>
#include <string.h>

#include "pipeline.h"

void hz_pipeline_print_summary(hz_pipeline *p, FILE *out, double seconds, int status) {
    fprintf(out, "harmonize: %s '%s' in %.2f s\n", status == 0 ? "ran" : "FAILED",
            p->name ? p->name : p->file, seconds);
    fprintf(out, "  %-24s %-9s %-10s %12s %12s %10s %10s\n", "component", "kind", "plugin", "in", "out",
            "rejected", "absorbed");
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        if (!c->plugin) continue;
        fprintf(out, "  %-24s %-9s %-10s %12llu %12llu %10llu %10llu\n", c->name, hz_role_name(c->role),
                c->plugin->desc->name, (unsigned long long)c->rows_in,
                (unsigned long long)(c->role == HZ_ROLE_SINK ? c->rows_in : c->rows_out),
                (unsigned long long)c->rejected, (unsigned long long)c->absorbed);
        for (size_t k = 0; k < c->nabsorbed_labels; k++)
            fprintf(out, "    absorbed as %s: %llu\n", c->absorbed_labels[k].label,
                    (unsigned long long)c->absorbed_labels[k].rows);
        if (c->notes.len) fputs(hz_strbuf_cstr(&c->notes), out);
    }
    fprintf(out, "  rejected rows: %llu", (unsigned long long)p->total_rejects);
    if (status != 0)
        /* Sinks publish only when the whole run succeeds: say so, since the
         * table above counts what they were given, not what reached disk. */
        fprintf(out, "\n  nothing was published: the outputs of the previous run are untouched\n");
    else if (p->nrejects)
        fprintf(out, " (written by the rejects sink%s)\n", p->nrejects > 1 ? "s" : "");
    else if (p->total_rejects)
        fprintf(out,
                " (no 'rejects:' sink: only the first %d were printed above; add one to keep them all)\n",
                p->rejects_unwritten < 20 ? (int)p->rejects_unwritten : 20);
    else
        fputc('\n', out);
}
