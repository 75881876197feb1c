/*
 * One glibc malloc arena for the whole server instead of up to eight per core, set before the .NET runtime starts
 * its first thread (a constructor of the executable; from Main it came too late, threads had made arenas already).
 *
 * Native memory here is zstd contexts, SQLite pages and OpenSSL state, used from whichever pool thread runs a
 * request; with an arena per thread each kept its own freed memory. Measured on the 512 MiB push benchmark: five
 * arenas held 26 MiB where one holds 7-11 MiB (heaptrack's peak of live native memory: 11.9 MiB). Managed
 * allocations do not go through malloc, so the one arena's lock is not contended.
 * MALLOC_ARENA_MAX, when set, still decides.
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
