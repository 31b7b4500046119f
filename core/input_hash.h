/* The SHA-256 of a run's input files, computed by a second thread while
 * the run reads them (the machine's other core), so that the manifest
 * costs the run no wall time for its inputs.  The files hold still while
 * they are read (the sources check it), so hashing them at the same time
 * hashes what was read. */
#ifndef HZ_INPUT_HASH_H
#define HZ_INPUT_HASH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

typedef struct hz_input_hashes hz_input_hashes;

/* Start hashing these files (copied); a path that is no regular file (a
 * pipe, standard input) gets no hash.  Never NULL. */
hz_input_hashes *hz_input_hashes_start(const char *const *paths, size_t n);

/* Wait for the thread (once; later calls return at once).  Then the i-th
 * file's hash and size, if it had one. */
void hz_input_hashes_join(hz_input_hashes *h);
bool hz_input_hash(const hz_input_hashes *h, size_t i, const char **hex, uint64_t *size);

void hz_input_hashes_free(hz_input_hashes *h);
#endif
