/* core/arena.c and core/batch.c: alignment, chunks, large allocations,
 * reset and reuse, batches growing past their capacity with their field
 * views intact.  The program is linked with malloc, calloc, realloc and
 * free wrapped (-Wl,--wrap=...), so a test can count what the core asks of
 * the allocator: "after the first batch nothing is allocated" is checked,
 * not assumed. */
#include "hz_test.h"

#include "arena.h"
#include "batch.h"

/* --- the allocator, counted ------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

#define MAX_TRACKED 4096

static struct {
    bool on;
    size_t calls; /* malloc, calloc and realloc since counting_start() */
    size_t live;  /* bytes of tracked blocks not yet freed */
    size_t count;
    struct {
        void *p;
        size_t n;
    } blocks[MAX_TRACKED];
} heap;

static void track(void *p, size_t n) {
    if (!p || !heap.on) return;
    heap.calls++;
    if (heap.count == MAX_TRACKED) fail_msg("more than %d blocks allocated", MAX_TRACKED);
    heap.blocks[heap.count].p = p;
    heap.blocks[heap.count++].n = n;
    heap.live += n;
}

static void untrack(const void *p) {
    for (size_t i = 0; p && i < heap.count; i++)
        if (heap.blocks[i].p == p) {
            heap.live -= heap.blocks[i].n;
            heap.blocks[i] = heap.blocks[--heap.count];
            return;
        }
}

void *__wrap_malloc(size_t n) {
    void *p = __real_malloc(n);
    track(p, n);
    return p;
}

void *__wrap_calloc(size_t k, size_t n) {
    void *p = __real_calloc(k, n);
    track(p, k * n);
    return p;
}

void *__wrap_realloc(void *p, size_t n) {
    untrack(p);
    void *q = __real_realloc(p, n);
    track(q, n);
    return q;
}

void __wrap_free(void *p) {
    untrack(p);
    __real_free(p);
}

static void counting_start(void) {
    heap.on = true;
    heap.calls = 0;
}

static int setup(void **state) {
    (void)state;
    memset(&heap, 0, sizeof heap);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    heap.on = false;
    /* Every block the test and the core made is gone. */
    assert_int_equal(heap.count, 0);
    assert_int_equal(heap.live, 0);
    return 0;
}

/* --- arena ------------------------------------------------------------------ */

static void test_arena_allocations_are_aligned_to_8(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 4096);
    counting_start();
    unsigned char *blocks[40];
    for (size_t n = 1; n <= 40; n++) {
        blocks[n - 1] = hz_arena_alloc(&a, n);
        assert_non_null(blocks[n - 1]);
        assert_int_equal((uintptr_t)blocks[n - 1] % 8, 0);
        memset(blocks[n - 1], (int)n, n);
    }
    /* No block overlaps another: each still holds its own bytes. */
    for (size_t n = 1; n <= 40; n++)
        for (size_t i = 0; i < n; i++) assert_int_equal(blocks[n - 1][i], n);
    assert_int_equal(heap.calls, 1); /* 40 blocks, 8..40 bytes rounded: one 4096-byte chunk */
    hz_arena_free(&a);
}

static void test_arena_small_allocations_share_a_chunk_until_it_is_full(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 256);
    counting_start();
    char *first = hz_arena_alloc(&a, 8);
    for (size_t i = 1; i < 32; i++) assert_ptr_equal(hz_arena_alloc(&a, 8), first + 8 * i);
    assert_int_equal(heap.calls, 1);
    memset(first, 'a', 256);
    char *next = hz_arena_alloc(&a, 8); /* the chunk is full: another */
    assert_int_equal(heap.calls, 2);
    assert_true((uintptr_t)next < (uintptr_t)first || (uintptr_t)next >= (uintptr_t)first + 256);
    memset(next, 'b', 8);
    for (size_t i = 0; i < 256; i++) assert_int_equal(first[i], 'a');
    hz_arena_free(&a);
}

static void test_arena_large_allocation_gets_a_chunk_of_its_own(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 64);
    char *small = hz_arena_alloc(&a, 16);
    memcpy(small, "kept across it", 15);
    counting_start();
    char *big = hz_arena_alloc(&a, 100000);
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 8, 0);
    assert_int_equal(heap.calls, 1);
    assert_true(heap.live >= 100000);
    memset(big, 'x', 100000); /* every byte is the caller's (valgrind and ASan watch) */
    assert_string_equal(small, "kept across it");
    char *after = hz_arena_alloc(&a, 16);
    memset(after, 'y', 16);
    assert_int_equal(big[99999], 'x');
    hz_arena_free(&a);
}

static void test_arena_impossible_sizes_return_null(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 64);
    counting_start();
    /* Rounded up to 8 or with the chunk header added, these would wrap
     * around to small numbers and hand out a few bytes as if they were many. */
    assert_null(hz_arena_alloc(&a, SIZE_MAX));
    assert_null(hz_arena_alloc(&a, SIZE_MAX - 3));
    assert_null(hz_arena_alloc(&a, SIZE_MAX - 8));
    assert_null(hz_arena_alloc(&a, (size_t)PTRDIFF_MAX + 1));
    assert_int_equal(heap.calls, 0);
    /* The arena is still usable. */
    char *p = hz_arena_alloc(&a, 8);
    assert_non_null(p);
    memcpy(p, "1234567", 8);
    hz_arena_free(&a);
}

/* The same requests give the same memory after a reset, in the same order. */
static void test_arena_reset_reuses_its_chunks_in_order(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 128);
    char *before[50];
    for (size_t i = 0; i < 50; i++) before[i] = hz_arena_alloc(&a, 24); /* ten chunks of five */
    hz_arena_reset(&a);
    counting_start();
    for (size_t i = 0; i < 50; i++) assert_ptr_equal(hz_arena_alloc(&a, 24), before[i]);
    assert_int_equal(heap.calls, 0);
    hz_arena_free(&a);
}

static void test_arena_reset_keeps_no_more_than_a_batch_needs(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 1024);
    counting_start();
    /* Each "batch" has one field larger than any before it, and a few small
     * ones.  What the arena holds between batches must not add up over the
     * file: at most the regular chunks one batch used. */
    for (size_t batch = 1; batch <= 40; batch++) {
        for (size_t i = 0; i < 3; i++) memset(hz_arena_alloc(&a, 200), 'a', 200);
        memset(hz_arena_alloc(&a, 2000 + 1000 * batch), 'b', 2000 + 1000 * batch);
        for (size_t i = 0; i < 3; i++) memset(hz_arena_alloc(&a, 200), 'c', 200);
        hz_arena_reset(&a);
    }
    /* Two regular chunks (six fields of 200 bytes in 1024-byte chunks). */
    if (heap.live > 2 * (1024 + 64))
        fail_msg("%zu bytes held after 40 batches of at most 43 KiB each", heap.live);
    hz_arena_free(&a);
}

static void test_arena_free_releases_everything_and_allows_reuse(void **state) {
    (void)state;
    hz_arena a;
    hz_arena_init(&a, 64);
    counting_start();
    for (size_t i = 0; i < 20; i++) hz_arena_alloc(&a, 40);
    hz_arena_reset(&a);
    hz_arena_alloc(&a, 1000);
    assert_true(heap.live > 20 * 40);
    hz_arena_free(&a);
    assert_int_equal(heap.live, 0);
    assert_null(a.head);
    assert_null(a.spare);
    /* Freed is back to the initial state: the chunk size is kept. */
    assert_int_equal(a.chunk_size, 64);
    char *p = hz_arena_alloc(&a, 8);
    assert_non_null(p);
    hz_arena_free(&a);
}

/* --- batch ------------------------------------------------------------------ */

static void test_batch_capacity_defaults_to_HZ_BATCH_ROWS(void **state) {
    (void)state;
    hz_batch *b = hz_batch_new(5, 0);
    assert_int_equal(b->capacity, HZ_BATCH_ROWS);
    assert_int_equal(b->ncols, 5);
    assert_int_equal(b->nrows, 0);
    hz_batch_free(b);
    b = hz_batch_new(2, 7);
    assert_int_equal(b->capacity, 7);
    hz_batch_free(b);
}

static void test_batch_rows_start_empty_with_their_origin(void **state) {
    (void)state;
    hz_batch *b = hz_batch_new(3, 4);
    hz_field *row = hz_batch_add_row(b, (hz_origin){12, 3, 0});
    for (size_t k = 0; k < 3; k++) {
        assert_null(row[k].ptr);
        assert_int_equal(row[k].len, 0);
    }
    row[1] = (hz_field){hz_batch_copy(b, "DEU", 3), 3};
    assert_int_equal(b->nrows, 1);
    assert_int_equal(b->origins[0].line, 12);
    assert_int_equal(b->origins[0].feed, 3);
    assert_ptr_equal(row, b->fields);
    /* A reset forgets the rows; a new row is empty again, not the old one. */
    hz_batch_reset(b);
    assert_int_equal(b->nrows, 0);
    row = hz_batch_add_row(b, (hz_origin){1, 0, 0});
    assert_null(row[1].ptr);
    assert_int_equal(row[1].len, 0);
    hz_batch_free(b);
}

/* Row r, column k: a different text of a different length in every cell. */
static size_t cell_text(char *buf, size_t size, size_t r, size_t k) {
    int n = snprintf(buf, size, "row %zu col %zu %*s|", r, k, (int)((r * 7 + k * 13) % 300), "");
    return (size_t)n;
}

static void fill_rows(hz_batch *b, size_t rows) {
    char buf[400];
    for (size_t r = 0; r < rows; r++) {
        hz_field *row = hz_batch_add_row(b, (hz_origin){r + 2, (uint32_t)(r % 5), 0});
        for (size_t k = 0; k < b->ncols; k++) {
            size_t n = cell_text(buf, sizeof buf, r, k);
            row[k] = (hz_field){hz_batch_copy(b, buf, n), n};
        }
    }
}

static void assert_rows(const hz_batch *b, size_t rows) {
    char buf[400];
    assert_int_equal(b->nrows, rows);
    for (size_t r = 0; r < rows; r++) {
        assert_int_equal(b->origins[r].line, r + 2);
        assert_int_equal(b->origins[r].feed, r % 5);
        for (size_t k = 0; k < b->ncols; k++) {
            const hz_field *f = &b->fields[r * b->ncols + k];
            size_t n = cell_text(buf, sizeof buf, r, k);
            assert_int_equal(f->len, n);
            assert_memory_equal(f->ptr, buf, n);
        }
    }
}

static void test_batch_grows_past_its_capacity_keeping_every_row(void **state) {
    (void)state;
    /* Capacity is what a source aims at; a transform may write more rows
     * than it read (a split), so the batch grows: fields and origins are
     * moved, the bytes they point to are not. */
    hz_batch *b = hz_batch_new(3, 4);
    fill_rows(b, HZ_BATCH_ROWS);
    assert_int_equal(b->capacity, 4);
    /* 1024 rows of 3 cells of about 170 bytes: several 256 KiB arena chunks. */
    assert_rows(b, HZ_BATCH_ROWS);
    hz_batch_free(b);
}

static void test_batch_field_views_stay_valid_as_the_batch_fills(void **state) {
    (void)state;
    hz_batch *b = hz_batch_new(2, 0);
    char buf[400];
    size_t n = cell_text(buf, sizeof buf, 0, 0);
    const char *first = hz_batch_copy(b, buf, n);
    hz_field *row0 = hz_batch_add_row(b, (hz_origin){2, 0, 0});
    row0[0] = (hz_field){first, n};
    row0[1] = (hz_field){hz_batch_copy(b, buf, n), n};
    /* Grow the bytes by megabytes and the rows to the full batch. */
    for (size_t r = 1; r < HZ_BATCH_ROWS; r++) {
        hz_field *row = hz_batch_add_row(b, (hz_origin){r + 2, 0, 0});
        char *big = hz_batch_alloc(b, 4096);
        memset(big, 'z', 4096);
        row[0] = (hz_field){big, 4096};
    }
    assert_ptr_equal(b->fields[0].ptr, first);
    assert_memory_equal(b->fields[0].ptr, buf, n);
    assert_memory_equal(b->fields[1].ptr, buf, n);
    assert_int_equal(b->fields[2 * (HZ_BATCH_ROWS - 1)].ptr[4095], 'z');
    hz_batch_free(b);
}

static void test_batch_reset_keeps_its_memory_for_the_next_batch(void **state) {
    (void)state;
    hz_batch *b = hz_batch_new(3, 0);
    fill_rows(b, HZ_BATCH_ROWS);
    hz_batch_reset(b);
    assert_int_equal(b->nrows, 0);
    assert_int_equal(b->capacity, HZ_BATCH_ROWS);
    counting_start();
    for (int round = 0; round < 3; round++) {
        fill_rows(b, HZ_BATCH_ROWS);
        assert_rows(b, HZ_BATCH_ROWS);
        hz_batch_reset(b);
    }
    /* The hot path's promise: a batch like the last one allocates nothing. */
    assert_int_equal(heap.calls, 0);
    hz_batch_free(b);
}

static void test_batch_copy_owns_its_bytes(void **state) {
    (void)state;
    hz_batch *b = hz_batch_new(1, 1);
    char src[] = "Syrian Arab Republic";
    const char *copy = hz_batch_copy(b, src, sizeof src - 1);
    memset(src, '?', sizeof src - 1);
    assert_memory_equal(copy, "Syrian Arab Republic", sizeof src - 1);
    /* An empty field is a valid pointer too (plugins may compare it). */
    assert_non_null(hz_batch_copy(b, "", 0));
    assert_non_null(hz_batch_alloc(b, 0));
    char *big = hz_batch_alloc(b, 1 << 20);
    memset(big, 1, 1 << 20);
    hz_batch_free(b);
}

static void test_batch_without_columns_still_counts_rows(void **state) {
    (void)state;
    hz_batch *b = hz_batch_new(0, 2);
    for (uint64_t r = 0; r < 5; r++) hz_batch_add_row(b, (hz_origin){r + 1, 0, 0});
    assert_int_equal(b->nrows, 5);
    assert_int_equal(b->origins[4].line, 5);
    hz_batch_free(b);
    hz_batch_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_arena_allocations_are_aligned_to_8),
        T(test_arena_small_allocations_share_a_chunk_until_it_is_full),
        T(test_arena_large_allocation_gets_a_chunk_of_its_own),
        T(test_arena_impossible_sizes_return_null),
        T(test_arena_reset_reuses_its_chunks_in_order),
        T(test_arena_reset_keeps_no_more_than_a_batch_needs),
        T(test_arena_free_releases_everything_and_allows_reuse),
        T(test_batch_capacity_defaults_to_HZ_BATCH_ROWS),
        T(test_batch_rows_start_empty_with_their_origin),
        T(test_batch_grows_past_its_capacity_keeping_every_row),
        T(test_batch_field_views_stay_valid_as_the_batch_fills),
        T(test_batch_reset_keeps_its_memory_for_the_next_batch),
        T(test_batch_copy_owns_its_bytes),
        T(test_batch_without_columns_still_counts_rows),
#undef T
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
