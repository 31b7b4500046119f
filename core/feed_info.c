/* The run's feeds for sinks (see feed_info.h). */
#define _GNU_SOURCE /* realpath */
#include "feed_info.h"

#include <stdlib.h>
#include <string.h>

#include "input_hash.h"
#include "sha256.h"
#include "util.h"

void hz_feeds_settle(hz_pipeline *p) {
    if (p->feeds_settled) return;
    if (p->input_hashes) hz_input_hashes_join(p->input_hashes);
    for (size_t i = 0; i < p->nfeeds; i++) {
        hz_feed *f = &p->feeds[i];
        const char *hex = NULL;
        uint64_t size = 0;
        if (p->input_hashes && hz_input_hash(p->input_hashes, i, &hex, &size)) {
            f->sha256 = hz_xstrdup(hex);
            f->bytes = size;
            continue;
        }
        /* No hash from the thread: the manifest hashes the file itself
         * (manifest.c, add_file_hash), and so do we, the same way. */
        char *abs = f->path ? realpath(f->path, NULL) : NULL;
        char own[HZ_SHA256_HEX];
        if (abs && hz_sha256_file(abs, own, &size) == 0) {
            f->sha256 = hz_xstrdup(own);
            f->bytes = size;
        }
        free(abs);
    }
    p->feeds_settled = true;
}

size_t hz_host_feed_count(hz_component *c) {
    return c->pipeline->nfeeds;
}

int hz_host_feed_info(hz_component *c, size_t i, hz_feed_info *out) {
    hz_pipeline *p = c->pipeline;
    if (!out || i >= p->nfeeds || !p->feeds_settled) return -1;
    const hz_feed *f = &p->feeds[i];
    hz_feed_info all = {
        .struct_size = out->struct_size,
        .source = f->source ? f->source->name : "-",
        .name = f->file,
        .file = f->path ? f->path : f->file,
        .sha256 = f->sha256,
        .bytes = f->sha256 ? f->bytes : 0,
        .rows = f->records,
        .rejected = f->rejected,
    };
    /* A plugin built against a later minor may pass a larger struct: fill
     * what we know; one built against a smaller one gets what fits. */
    size_t n = out->struct_size < sizeof all ? out->struct_size : sizeof all;
    memcpy(out, &all, n);
    return 0;
}
