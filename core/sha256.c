/* SHA-256 of a file (see sha256.h). */
#define _POSIX_C_SOURCE 200809L
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Large reads: the hash keeps up with the page cache. */
#define CHUNK (1 << 20)

int hz_sha256_file(const char *path, char hex[HZ_SHA256_HEX], uint64_t *size) {
    /* O_NONBLOCK: a FIFO given as a feed must not make the open wait for
     * a writer (it is refused just below: only files are hashed). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buf = malloc(CHUNK);
    int rc = ctx && buf && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ? 0 : -1;
    uint64_t total = 0;
    while (rc == 0) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) rc = -1;
        if (n <= 0) break;
        total += (uint64_t)n;
        if (!EVP_DigestUpdate(ctx, buf, (size_t)n)) rc = -1;
    }
    unsigned char digest[32];
    unsigned len = 0;
    if (rc == 0 && !EVP_DigestFinal_ex(ctx, digest, &len)) rc = -1;
    int saved = errno;
    EVP_MD_CTX_free(ctx);
    free(buf);
    close(fd);
    if (rc != 0) {
        errno = saved ? saved : EIO;
        return -1;
    }
    for (unsigned i = 0; i < len; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    *size = total;
    return 0;
}
