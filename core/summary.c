/* The run summary on stderr: rows in, out, rejected and absorbed per
 * component, so a reader can check that nothing went missing. */
#include <stdio.h>
#include <string.h>

#include "pipeline.h"
#include "summary.h"

/* After a failure, what reached the outputs: nothing, unless a commit
 * failed after others had succeeded (every output was prepared, so the
 * others were complete and are published). */
static void print_published(hz_pipeline *p, FILE *out) {
    hz_strbuf published = {0}, kept = {0};
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        if (c->role != HZ_ROLE_SINK || !c->plugin) continue;
        hz_strbuf *list = c->published ? &published : &kept;
        hz_strbuf_printf(list, "%s%s%s", list->len ? ", " : "", c->name,
                         c->commit_failed ? " (its commit failed)" : "");
    }
    /* Sinks publish only when the whole run succeeds: say so, since the
     * table above counts what they were given, not what reached disk. */
    if (!published.len)
        fprintf(out, "\n  nothing was published: the outputs of the previous run are untouched\n");
    else
        fprintf(out, "\n  published: %s\n  NOT published: %s: they still hold the previous run's outputs\n",
                hz_strbuf_cstr(&published), hz_strbuf_cstr(&kept));
    hz_strbuf_free(&published);
    hz_strbuf_free(&kept);
}

void hz_pipeline_print_failure(hz_pipeline *p, FILE *out, double seconds) {
    fprintf(out, "harmonize: FAILED '%s' in %.2f s:", p->name ? p->name : p->file, seconds);
    print_published(p, out);
}

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
        for (size_t k = 1; k < c->nstreams; k++)
            if (c->streams[k].nconsumers)
                fprintf(out, "    to %s.%s: %llu\n", c->ref ? c->ref : c->name, c->streams[k].name,
                        (unsigned long long)c->streams[k].rows);
        for (size_t k = 0; k < c->nabsorbed_labels; k++)
            fprintf(out, "    absorbed as %s: %llu\n", c->absorbed_labels[k].label,
                    (unsigned long long)c->absorbed_labels[k].rows);
        if (c->notes.len) fputs(hz_strbuf_cstr(&c->notes), out);
    }
    fprintf(out, "  rejected rows: %llu", (unsigned long long)p->total_rejects);
    if (status != 0)
        print_published(p, out);
    else if (p->nrejects)
        fprintf(out, " (written by the rejects sink%s)\n", p->nrejects > 1 ? "s" : "");
    else if (p->total_rejects)
        fprintf(out,
                " (no 'rejects:' sink: only the first %d were printed above; add one to keep them all)\n",
                p->rejects_unwritten < 20 ? (int)p->rejects_unwritten : 20);
    else
        fputc('\n', out);
}
