/*
 * One glibc malloc arena for the whole server instead of up to eight per core, set by a constructor so that it
 * precedes the runtime's first thread (from Main it came too late); MALLOC_ARENA_MAX, when set, still decides.
 * Native memory (zstd contexts, SQLite pages, OpenSSL state) is used from any pool thread and an arena per thread
 * keeps each one's freed memory (README, Benchmarks); managed allocations bypass malloc, so the lock is not contended.
 */
#include <malloc.h>
#include <stdlib.h>

__attribute__((constructor)) static void vega_lite_malloc_arena_limit(void)
{
    if (getenv("MALLOC_ARENA_MAX") == NULL)
    {
        mallopt(M_ARENA_MAX, 1);
    }
}
