/* pseudonymize: replace the values of chosen columns (names, phone
 * numbers) by a keyed hash, so that a published dataset still links one
 * person across runs and years without naming them.  The key stays out of
 * the pipeline (key_file or key_env, see pseudo_key.c); the hash is
 * defined in pseudo_hash.h; the README says how to reproduce it with
 * another tool.
 *
 * An empty cell stays empty: empty means "unknown", and hashing it would
 * make every unknown one and the same person. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_schema.h>

#include "pseudo_hash.h"
#include "pseudo_key.h"

typedef struct pseudo_state {
    pseudo_secret *secret; /* the keyed hasher, locked and wiped */
    size_t *cols;          /* the pseudonymized columns' indexes (input = output) */
    size_t ncols;
    long salt;             /* salt_column's index, or -1 */
    const char *salt_name; /* its name (the option's string) */
    size_t in_cols;
    size_t length; /* digest bytes kept: the output has 2 * length hex chars */
    uint64_t hashed, empty;
} pseudo_state;

static const hz_option pseudo_options[] = {
    {"columns", HZ_OPT_LIST, NULL, true, "the columns whose values are replaced by their pseudonym, in place",
     NULL},
    {"key_file", HZ_OPT_PATH, NULL, false,
     "file holding the key (at least 32 bytes; a text key's trailing newline ignored; mode 600), relative to "
     "the "
     "pipeline's folder",
     NULL},
    {"key_env", HZ_OPT_STRING, NULL, false, "environment variable holding the key, instead of key_file",
     NULL},
    {"algorithm", HZ_OPT_ENUM, "blake2b", false,
     "blake2b (keyed BLAKE2b-256, keys of 32 to 64 bytes) or hmac-sha256 (keys of 32 bytes or more)",
     "blake2b|hmac-sha256"},
    {"length", HZ_OPT_INT, "32", false,
     "digest bytes kept, 16 to 32: the pseudonym has twice as many hex digits", NULL},
    {"salt_column", HZ_OPT_STRING, NULL, false,
     "a column whose value the hash covers too (an office): one person gets one pseudonym per value", NULL},
    {"key", HZ_OPT_ANY, NULL, false,
     "refused: a key is never written in the pipeline (use key_file or key_env)", NULL},
    {0},
};

static int pseudo_create(hz_component *c, void **self) {
    pseudo_state *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->salt = -1;
    /* sodium_init() may be called more than once: it does its work the
     * first time and returns 1 afterwards.  -1 is a failure (no source of
     * randomness, which the keyed hashes do not need, but then libsodium's
     * state is not to be trusted either). */
    if (sodium_init() < 0) {
        hz->error(c, "libsodium could not be initialised (sodium_init failed)");
        return -1;
    }
    return 0;
}

/* The `columns` list: each an input column, each once, not the salt
 * column.  Fills s->cols; 0, or -1 after reporting every mistake. */
static int plan_columns(hz_component *c, pseudo_state *s, const hz_schema *in) {
    const hz_value *list = hz->option(c, "columns");
    size_t n = hz->value_count(list);
    s->cols = hz->xcalloc(n ? n : 1, sizeof *s->cols);
    if (n == 0) {
        hz->config_error(c, list, "'columns' is empty: name at least one column to pseudonymize");
        return -1;
    }
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        const hz_value *item = hz->value_item(list, k);
        const char *name = hz->value_string(item);
        long i = hz->schema_require(c, in, name, item);
        if (i < 0) {
            rc = -1;
            continue;
        }
        bool twice = false;
        for (size_t j = 0; j < s->ncols; j++) twice |= s->cols[j] == (size_t)i;
        if (twice) {
            hz->config_error(c, item, "column '%s' is listed twice in 'columns'", name);
            rc = -1;
            continue;
        }
        if ((long)i == s->salt) {
            hz->config_error(
                c, hz->option(c, "salt_column"),
                "'%s' is the salt_column and cannot also be pseudonymized: the salt is read as it "
                "is to scope the pseudonyms (drop it or pseudonymize it in a later step)",
                name);
            rc = -1;
        }
        s->cols[s->ncols++] = (size_t)i;
    }
    return rc;
}

static int pseudo_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    pseudo_state *s = self;
    int rc = 0;
    s->in_cols = hz->schema_count(in);

    const hz_value *length_at = hz->option(c, "length");
    int64_t length = hz->opt_int(c, "length");
    if (length < PSEUDO_LENGTH_MIN || length > PSEUDO_DIGEST_BYTES) {
        hz->config_error(c, length_at,
                         "'length' must be %d to %d (digest bytes kept; the pseudonym has twice as many hex "
                         "digits), not %" PRId64,
                         PSEUDO_LENGTH_MIN, PSEUDO_DIGEST_BYTES, length);
        rc = -1;
    }
    s->length = (size_t)length;

    if (hz->option(c, "salt_column")) {
        s->salt_name = hz->opt_string(c, "salt_column");
        s->salt = hz->schema_require(c, in, s->salt_name, hz->option(c, "salt_column"));
        if (s->salt < 0) rc = -1;
    }
    if (plan_columns(c, s, in) != 0) rc = -1;

    pseudo_algorithm algorithm =
        strcmp(hz->opt_string(c, "algorithm"), "hmac-sha256") == 0 ? PSEUDO_HMAC_SHA256 : PSEUDO_BLAKE2B;
    s->secret = pseudo_secret_new();
    if (pseudo_key_load(c, s->secret, algorithm) == 0) {
        int init = pseudo_hasher_init(&s->secret->hasher, algorithm, s->secret->key, s->secret->key_len);
        /* The keyed state is all process() needs: the raw key goes now. */
        sodium_memzero(s->secret->key, sizeof s->secret->key);
        if (init != 0) {
            hz->error(c, "libsodium refused a %zu-byte key for %s", s->secret->key_len,
                      pseudo_algorithm_name(algorithm));
            rc = -1;
        }
    } else {
        rc = -1;
    }

    /* Same columns, same order: a pseudonymized column keeps its name, and
     * the core learns that it no longer holds personal data (pii:), so that
     * a sink may publish it. */
    if (hzs_schema_copy(c, in, out) != 0) return -1;
    for (size_t k = 0; rc == 0 && k < s->ncols && HZ_HOST_HAS(schema_set_personal); k++)
        hz->schema_set_personal(c, out, s->cols[k], false);
    return rc;
}

static int pseudo_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)input;
    pseudo_state *s = self;
    if (in->nrows == 0) return 0;
    const size_t hex_len = 2 * s->length;
    /* One arena block for the whole batch's pseudonyms: no allocation per
     * row or per cell. */
    char *hex = hz->batch_alloc(out, in->nrows * s->ncols * hex_len);
    pseudo_scratch scratch;
    unsigned char digest[PSEUDO_DIGEST_BYTES];
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *src = in->fields + r * in->ncols;
        const hz_field *salt = s->salt >= 0 ? &src[s->salt] : NULL;
        /* A NUL byte in the salt would make salt || 0x00 || value
         * ambiguous (two different pairs, one message). */
        const char *nul = salt && salt->len ? memchr(salt->ptr, '\0', salt->len) : NULL;
        if (nul) {
            hz->reject(c, in, r, "invalid_value",
                       "salt column '%s' holds a NUL byte (at byte %zu): the pseudonym would be ambiguous",
                       s->salt_name, (size_t)(nul - salt->ptr) + 1);
            continue;
        }
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, src, s->in_cols * sizeof *row);
        for (size_t k = 0; k < s->ncols; k++) {
            hz_field cell = src[s->cols[k]];
            if (cell.len == 0) { /* unknown stays unknown */
                s->empty++;
                continue;
            }
            pseudo_digest(&s->secret->hasher, &scratch, salt, cell, digest);
            pseudo_hex(digest, s->length, hex);
            row[s->cols[k]] = (hz_field){hex, hex_len};
            hex += hex_len;
            s->hashed++;
        }
    }
    pseudo_scratch_wipe(&scratch);
    return 0;
}

static int pseudo_finish(hz_component *c, void *self, hz_batch *out) {
    (void)out;
    const pseudo_state *s = self;
    hz->summary_note(c, "cells pseudonymized: %" PRIu64 "; empty cells left empty: %" PRIu64, s->hashed,
                     s->empty);
    return 0;
}

static void pseudo_destroy(void *self) {
    pseudo_state *s = self;
    pseudo_secret_free(s->secret);
    free(s->cols);
    free(s);
}

static const hz_transform_class pseudo_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc =
        "replaces the values of columns by a keyed hash (BLAKE2b or HMAC-SHA-256, lowercase hex), the same "
        "for one key across runs and machines; empty cells stay empty",
    HZ_OPTIONS(pseudo_options),
    .create = pseudo_create,
    .plan = pseudo_plan,
    .process = pseudo_process,
    .finish = pseudo_finish,
    .destroy = pseudo_destroy,
};

static const hz_plugin pseudo_plugin = {
    HZ_PLUGIN_INIT,
    .name = "pseudonymize",
    .version = "1.0.0",
    .description = "keyed pseudonyms for personal columns (libsodium)",
    .transform = &pseudo_transform,
};

HZ_PLUGIN(pseudo_plugin)
