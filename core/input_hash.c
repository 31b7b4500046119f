/* Hashing the inputs beside the run (see input_hash.h). */
#include "input_hash.h"

#include <pthread.h>
#include <stdlib.h>

#include "util.h"

typedef struct input_hash {
    char *path;
    char hex[HZ_SHA256_HEX];
    uint64_t size;
    bool ok;
} input_hash;

struct hz_input_hashes {
    input_hash *files;
    size_t n;
    pthread_t thread;
    bool started, joined;
};

static void *hash_all(void *arg) {
    hz_input_hashes *h = arg;
    for (size_t i = 0; i < h->n; i++)
        h->files[i].ok =
            h->files[i].path && hz_sha256_file(h->files[i].path, h->files[i].hex, &h->files[i].size) == 0;
    return NULL;
}

hz_input_hashes *hz_input_hashes_start(const char *const *paths, size_t n) {
    hz_input_hashes *h = hz_xcalloc(1, sizeof *h);
    h->files = hz_xcalloc(n ? n : 1, sizeof *h->files);
    h->n = n;
    for (size_t i = 0; i < n; i++) h->files[i].path = paths[i] ? hz_xstrdup(paths[i]) : NULL;
    /* Without a thread (none to be had), the join hashes them itself. */
    h->started = n && pthread_create(&h->thread, NULL, hash_all, h) == 0;
    return h;
}

void hz_input_hashes_join(hz_input_hashes *h) {
    if (h->joined) return;
    if (h->started)
        pthread_join(h->thread, NULL);
    else
        hash_all(h);
    h->joined = true;
}

bool hz_input_hash(const hz_input_hashes *h, size_t i, const char **hex, uint64_t *size) {
    if (!h->joined || i >= h->n || !h->files[i].ok) return false;
    *hex = h->files[i].hex;
    *size = h->files[i].size;
    return true;
}

void hz_input_hashes_free(hz_input_hashes *h) {
    if (!h) return;
    hz_input_hashes_join(h);
    for (size_t i = 0; i < h->n; i++) free(h->files[i].path);
    free(h->files);
    free(h);
}
