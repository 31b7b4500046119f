/* pseudo_key.c - where the key comes from, and the checks that keep it
 * secret (see pseudo_key.h). */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC, fstat */
#include "pseudo_key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pseudo_secret *pseudo_secret_new(void) {
    /* hz->xmalloc guarantees malloc's alignment (16), libsodium's BLAKE2b
     * state needs 64: take 63 bytes more and align by hand. */
    size_t align = _Alignof(pseudo_secret);
    void *block = hz->xcalloc(1, sizeof(pseudo_secret) + align - 1);
    pseudo_secret *s = (pseudo_secret *)(((uintptr_t)block + align - 1) & ~(uintptr_t)(align - 1));
    s->block = block;
    /* Keep the key and the keyed states out of swap.  Best effort: an
     * unprivileged process may lock only a little (RLIMIT_MEMLOCK). */
    s->locked = sodium_mlock(s, sizeof *s) == 0;
    return s;
}

void pseudo_secret_free(pseudo_secret *s) {
    if (!s) return;
    void *block = s->block;
    if (s->locked)
        sodium_munlock(s, sizeof *s); /* wipes, then unlocks */
    else
        sodium_memzero(s, sizeof *s);
    free(block);
}

/* How to make a key, for the messages: for a key file (`name` as the
 * messages show it) or an environment variable.  A new string (release
 * with free()): a path may be long. */
/* Whether the key is one line of text: printable ASCII (or tabs) and a final
 * newline.  Random bytes pass this with odds of about (95/256)^31, never. */
static bool pseudo_key_is_text_line(const unsigned char *key, size_t len) {
    if (len == 0 || key[len - 1] != '\n') return false;
    for (size_t i = 0; i + 1 < len; i++)
        if ((key[i] < 0x20 && key[i] != '\t') || key[i] > 0x7e) return false;
    return true;
}

static char *key_hint(bool file, const char *name) {
    const char *fmt =
        file ? "make one with: head -c 32 /dev/urandom > %1$s && chmod 600 %1$s"
             : "set it to at least 32 random bytes, e.g.: export %1$s=\"$(openssl rand -hex 32)\"";
    int n = snprintf(NULL, 0, fmt, name);
    size_t size = (size_t)(n > 0 ? n : 0) + 1;
    char *out = hz->xmalloc(size);
    snprintf(out, size, fmt, name);
    return out;
}

/* Reject a key file that someone else than its owner could read or
 * replace: the key decides every pseudonym, and whoever holds it can test
 * a guessed name against the published data. */
static int check_mode(hz_component *c, const hz_value *at, const char *shown, mode_t mode) {
    const char *who[3];
    size_t n = 0;
    if (mode & S_IROTH) who[n++] = "others can read it";
    if (mode & S_IWGRP) who[n++] = "its group can change it";
    if (mode & S_IWOTH) who[n++] = "others can change it";
    if (n == 0) return 0;
    hz->config_error(c, at, "key file '%s' has mode %04o: %s%s%s%s%s; run: chmod 600 %s", shown,
                     (unsigned)(mode & 07777), who[0], n > 1 ? ", " : "", n > 1 ? who[1] : "",
                     n > 2 ? ", " : "", n > 2 ? who[2] : "", shown);
    return -1;
}

/* The bytes of `path` (symlinks followed: the file checked is the one
 * read).  0, or -1 after reporting at `at`. */
static int read_key_file(hz_component *c, const hz_value *at, const char *path, pseudo_secret *s) {
    const char *shown = hz->display_path(c, path);
    char *hint = key_hint(true, shown);
    /* O_NONBLOCK: a FIFO named by mistake must not hang validate. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        hz->config_error(c, at, "cannot open key file '%s': %s; %s", shown, strerror(errno), hint);
        free(hint);
        return -1;
    }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0) {
        hz->config_error(c, at, "cannot read key file '%s': %s", shown, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        hz->config_error(c, at, "key file '%s' is not a regular file; %s", shown, hint);
    } else if (check_mode(c, at, shown, st.st_mode) == 0) {
        size_t got = 0;
        rc = 0;
        while (got < sizeof s->key) {
            ssize_t n = read(fd, s->key + got, sizeof s->key - got);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                hz->config_error(c, at, "cannot read key file '%s': %s", shown, strerror(errno));
                rc = -1;
                break;
            }
            if (n == 0) break;
            got += (size_t)n;
        }
        s->key_len = got;
        if (rc == 0 && got > PSEUDO_KEY_FILE_MAX) {
            hz->config_error(
                c, at,
                "key file '%s' is larger than %d bytes: it is not a key (a key is 32 to 64 random "
                "bytes); %s",
                shown, PSEUDO_KEY_FILE_MAX, hint);
            rc = -1;
        }
    }
    close(fd);
    free(hint);
    return rc;
}

static int read_key_env(hz_component *c, const hz_value *at, const char *name, pseudo_secret *s) {
    const char *value = getenv(name);
    size_t len = value ? strlen(value) : 0;
    if (len == 0 || len > PSEUDO_KEY_FILE_MAX) {
        char *hint = key_hint(false, name);
        if (len == 0)
            hz->config_error(c, at, "environment variable '%s' is %s; %s", name, value ? "empty" : "not set",
                             hint);
        else
            hz->config_error(c, at, "environment variable '%s' is longer than %d bytes: it is not a key; %s",
                             name, PSEUDO_KEY_FILE_MAX, hint);
        free(hint);
        return -1;
    }
    memcpy(s->key, value, len);
    s->key_len = len;
    return 0;
}

int pseudo_key_load(hz_component *c, pseudo_secret *s, pseudo_algorithm algorithm) {
    if (hz->option_given(c, "key")) {
        hz->config_error(
            c, hz->option(c, "key"),
            "a key is never written in the pipeline (it would travel with the file, into version "
            "control and run records): put it in a file named by key_file, or in an environment "
            "variable named by key_env");
        return -1;
    }
    const hz_value *file_at = hz->option(c, "key_file"), *env_at = hz->option(c, "key_env");
    if (file_at && env_at) {
        hz->config_error(c, env_at, "give either key_file or key_env, not both");
        return -1;
    }
    if (!file_at && !env_at) {
        hz->config_error(
            c, NULL,
            "pseudonymize needs a key: key_file: PATH (a file of at least 32 random bytes, mode 600) "
            "or key_env: VARNAME");
        return -1;
    }
    const hz_value *at = file_at ? file_at : env_at;
    const char *name = file_at ? hz->opt_path(c, "key_file") : hz->opt_string(c, "key_env");
    if ((file_at ? read_key_file(c, at, name, s) : read_key_env(c, at, name, s)) != 0) return -1;

    /* A text key's trailing newline is not part of it: `echo`, an editor and
     * `openssl rand -hex` all end the file with one.  Raw random bytes are kept
     * whole, so that `head -c 32 /dev/urandom` is never one byte short when its
     * last byte happens to be a newline (one key in 256). */
    bool dropped_newline = pseudo_key_is_text_line(s->key, s->key_len);
    if (dropped_newline) s->key_len--;

    const char *shown = file_at ? hz->display_path(c, name) : name;
    const char *kind = file_at ? "key file" : "environment variable";
    int rc = 0;
    if (s->key_len < PSEUDO_KEY_MIN) {
        char *hint = key_hint(file_at != NULL, shown);
        hz->config_error(c, at, "%s '%s' holds a key of %zu bytes%s, fewer than the %d a key needs; %s", kind,
                         shown, s->key_len, dropped_newline ? " (less its trailing newline)" : "",
                         PSEUDO_KEY_MIN, hint);
        free(hint);
        rc = -1;
    } else if (algorithm == PSEUDO_BLAKE2B && s->key_len > PSEUDO_BLAKE2B_KEY_MAX) {
        hz->config_error(
            c, at,
            "%s '%s' holds a key of %zu bytes, but blake2b takes keys of at most %d bytes: use a "
            "key of 32 to 64 bytes, or algorithm: hmac-sha256",
            kind, shown, s->key_len, (int)PSEUDO_BLAKE2B_KEY_MAX);
        rc = -1;
    }
    return rc;
}
