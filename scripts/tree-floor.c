/* The floor under detect's S3-tree row: what the least an exact reader must do costs on this
   machine, with nothing else around it. Every .json.gz object is read into memory first; then N
   threads (default 2) take objects in turn and
     1. inflate each with libdeflate into a reused buffer (the decompression floor), and
     2. also cut it into records with the project's own SIMD cutter (lt_value_end, CSupport) and
        find each record's "eventTime"/"eventSource"/"eventName" keys (lt_event_keys), which
        the record count, the run's time span and the pre-filter need.
   It prints the wall seconds of each pass and of reading the files. A detect run on the tree
   does all of this and more (file discovery, the Lambda events' mapping, enrichment and rules,
   the alerts), so it cannot be faster than pass 2.

   Built and run by scripts/bench:
     cc -O2 scripts/tree-floor.c Sources/CSupport/csupport.c -ISources/CSupport/include -ldeflate -lpthread
     ./tree-floor DIR [THREADS] */
#define _GNU_SOURCE
#include <dirent.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "csupport.h"

typedef struct { unsigned char *bytes; size_t size; } object;
static object *objects;
static size_t count, capacity, largest;
static int threads = 2, cutting;
static size_t records[64], inflated[64];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void load(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) { perror(dir); exit(2); }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) { load(path); continue; }
    size_t n = strlen(path);
    if (n < 3 || strcmp(path + n - 3, ".gz") != 0) continue;
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    if (count == capacity) objects = realloc(objects, (capacity = capacity ? capacity * 2 : 1024) * sizeof *objects);
    object o = {malloc(st.st_size ? st.st_size : 1), (size_t)st.st_size};
    if (fread(o.bytes, 1, o.size, f) != o.size) { perror(path); exit(2); }
    fclose(f);
    if (o.size >= 4) {
      size_t isize = o.bytes[o.size - 4] | o.bytes[o.size - 3] << 8 | o.bytes[o.size - 2] << 16 | (size_t)o.bytes[o.size - 1] << 24;
      if (isize > largest) largest = isize;
    }
    objects[count++] = o;
  }
  closedir(d);
}

static int is_blank(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/* Records of a {"Records":[...]} object, cut as RecordSplitter cuts them. */
static size_t cut(const unsigned char *p, size_t n) {
  const char *prefix = "{\"Records\":[";
  size_t i = 0, found = 0, plen = strlen(prefix);
  if (n < plen || memcmp(p, prefix, plen) != 0) return 0;
  for (i = plen; i < n;) {
    while (i < n && (is_blank(p[i]) || p[i] == ',')) i++;
    if (i >= n || p[i] != '{') break;
    size_t end;
    if (lt_value_end(p, i, n, (ptrdiff_t)1 << 40, &end) != 0) break;
    lt_event_key_offsets keys = lt_event_keys(p + i, end - i);
    found += keys.time >= 0 && keys.source >= 0;
    i = end;
  }
  return found;
}

static void *work(void *arg) {
  long k = (long)arg;
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  unsigned char *out = malloc(largest + 1);
  for (size_t i = (size_t)k; i < count; i += (size_t)threads) {
    size_t written = 0;
    if (libdeflate_gzip_decompress(d, objects[i].bytes, objects[i].size, out, largest + 1, &written) != LIBDEFLATE_SUCCESS) {
      fprintf(stderr, "object %zu: libdeflate could not inflate it whole\n", i);
      exit(2);
    }
    inflated[k] += written;
    if (cutting) records[k] += cut(out, written);
  }
  free(out);
  libdeflate_free_decompressor(d);
  return NULL;
}

static double pass(int cut_records) {
  pthread_t workers[64];
  cutting = cut_records;
  memset(records, 0, sizeof records);
  memset(inflated, 0, sizeof inflated);
  double start = now();
  for (long k = 0; k < threads; k++) pthread_create(&workers[k], NULL, work, (void *)k);
  for (int k = 0; k < threads; k++) pthread_join(workers[k], NULL);
  return now() - start;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: tree-floor DIR [THREADS]\n"); return 2; }
  if (argc > 2) threads = atoi(argv[2]);
  if (threads < 1 || threads > 64) threads = 2;
  double start = now();
  load(argv[1]);
  double reading = now() - start;
  double inflating = pass(0), cutting_too = pass(1);
  size_t total = 0, cut_records = 0;
  for (int k = 0; k < threads; k++) total += inflated[k], cut_records += records[k];
  printf("%zu objects (%zu MB inflated, %zu records) on %d threads: reading %.3f s (1 thread); inflating %.3f s; inflating and cutting %.3f s\n",
         count, total >> 20, cut_records, threads, reading, inflating, cutting_too);
  return 0;
}
