/* pseudo_key.h - the secret key of a pseudonymize component: read from the
 * file `key_file` names or the environment variable `key_env` names (never
 * from the pipeline), checked, and absorbed into a hasher kept in locked
 * memory that is wiped when the component is destroyed. */
#ifndef PSEUDO_KEY_H
#define PSEUDO_KEY_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

#include "pseudo_hash.h"

/* A key file larger than this is not a key (a data file named by mistake):
 * refused rather than read whole. */
#define PSEUDO_KEY_FILE_MAX 4096

typedef struct pseudo_secret {
    pseudo_hasher hasher; /* first: 64-byte aligned, see pseudo_secret_new() */
    size_t key_len;
    unsigned char key[PSEUDO_KEY_FILE_MAX + 1]; /* one more byte: tells a larger file */
    void *block;                                /* what to free() */
    bool locked;                                /* mlock succeeded */
} pseudo_secret;

/* Zeroed, aligned for libsodium's states, locked in memory when the system
 * allows it (best effort: a failure only means it could be swapped). */
pseudo_secret *pseudo_secret_new(void);
/* Wipe (sodium_memzero), unlock and free; NULL is fine. */
void pseudo_secret_free(pseudo_secret *s);

/* Read the key the component's key_file or key_env names into s->key (a key
 * that is one line of ASCII text loses its trailing newline; raw bytes are
 * kept whole), and check it: at least PSEUDO_KEY_MIN
 * bytes, at most PSEUDO_BLAKE2B_KEY_MAX for BLAKE2b, and from a file that
 * others cannot read and that neither group nor others can write (the
 * file a symlink leads to is the one checked).  Refuses a `key` option (a
 * key written in the pipeline) and anything but exactly one of key_file
 * and key_env.  Each problem is reported at the option's value.  0, or -1
 * after reporting. */
int pseudo_key_load(hz_component *c, pseudo_secret *s, pseudo_algorithm algorithm);
#endif
