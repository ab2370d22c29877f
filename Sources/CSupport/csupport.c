#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include "csupport.h"

const void *lt_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
  return memmem(haystack, haystack_len, needle, needle_len);
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* From position i on, byte by byte: the tail of the block steps below, and the whole search
   where a test asks for it. */
static const void *lt_find_short_bytes(const unsigned char *h, size_t haystack_len, const unsigned char *n, size_t needle_len, size_t i) {
  size_t last = needle_len - 1, stop = haystack_len - last;
  for (; i < stop; i++) {
    if (h[i] == n[0] && h[i + last] == n[last] && memcmp(h + i + 1, n + 1, needle_len - 2) == 0) return h + i;
  }
  return NULL;
}

/* From position i on: 16 bytes per step with SSE2, then byte by byte. */
static const void *lt_find_short_from(const unsigned char *h, size_t haystack_len, const unsigned char *n, size_t needle_len, size_t i) {
#if defined(__SSE2__)
  size_t last = needle_len - 1, stop = haystack_len - last;
  /* Candidates are where both the needle's first and last bytes line up: for the pre-filter's
     needles (`"event`, the Lambda host name) that is rare, so most blocks cost three compares. */
  const __m128i first = _mm_set1_epi8((char)n[0]), final = _mm_set1_epi8((char)n[last]);
  for (; i + 16 <= stop; i += 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(h + i)), b = _mm_loadu_si128((const __m128i *)(h + i + last));
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, final)));
    while (mask) {
      size_t at = i + (size_t)__builtin_ctz(mask);
      if (memcmp(h + at + 1, n + 1, needle_len - 2) == 0) return h + at;
      mask &= mask - 1;
    }
  }
#endif
  return lt_find_short_bytes(h, haystack_len, n, needle_len, i);
}

/* lt_object_members: a strict recursive descent over plain JSON (see the header). Soundness is
   what matters: whatever it accepts, JSONParser must accept with the same members; anything
   unusual returns -1 and takes the full parser's path. */

enum { LT_PLAIN_MAX_DEPTH = 64, LT_PLAIN_MAX_MEMBERS = 64, LT_PLAIN_MAX_KEYS = 4096 };

typedef struct {
  const unsigned char *p;
  size_t n, i;
  int open_keys;
  uint32_t key_start[LT_PLAIN_MAX_KEYS], key_length[LT_PLAIN_MAX_KEYS];
} lt_plain;

static inline __attribute__((always_inline)) void lt_plain_ws(lt_plain *s) {
  /* Compact JSON has no whitespace between tokens: one compare settles the usual case. */
  if (s->i < s->n && s->p[s->i] > 0x20) return;
  while (s->i < s->n) {
    unsigned char c = s->p[s->i];
    if (c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09) return;
    s->i++;
  }
}

/* lt_string_stop: where a string's plain bytes stop, 16 bytes per step (the strict pass, the
   evidence index's byte reader and the record scanner go through every string value of a record,
   most of them tens of bytes long). */
static inline __attribute__((always_inline)) size_t lt_string_stop_inline(const unsigned char *p, size_t from, size_t n, int any_control) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
  const __m128i control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i low = any_control ? _mm_cmpeq_epi8(_mm_max_epu8(v, control), control) : _mm_cmpeq_epi8(v, newline);
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), low));
    if (mask) return i + (size_t)__builtin_ctz(mask);
  }
#endif
  for (; i < n; i++) {
    unsigned char c = p[i];
    if (c == '"' || c == '\\' || (any_control ? c < 0x20 : c == '\n')) return i;
  }
  return i;
}

size_t lt_string_stop(const unsigned char *p, size_t from, size_t n, int any_control) {
  return lt_string_stop_inline(p, from, n, any_control);
}

/* At a string's opening quote: moves past its closing quote. Keys must be printable ASCII
   without '.'; values any byte from 0x20 up but the backslash (invalid UTF-8 is repaired the same
   way by both readers). */
static inline int lt_plain_string(lt_plain *s, int is_key) {
  size_t i = s->i + 1;
  const unsigned char *p = s->p;
  if (is_key) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), dot = _mm_set1_epi8('.');
    const __m128i control = _mm_set1_epi8(0x1F), printable = _mm_set1_epi8(0x7E);
    for (; i + 16 <= s->n; i += 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
      unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
      /* Bytes a key may not hold: escapes, dots, controls, and anything above '~'. */
      unsigned bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                       _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, dot)),
                       _mm_cmpeq_epi8(_mm_max_epu8(v, control), control)))
                     | (~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, printable), v)) & 0xFFFF);
      if (quotes) {
        unsigned end = (unsigned)__builtin_ctz(quotes);
        if (bad & ((1u << end) - 1)) return 0;
        s->i = i + end + 1;
        return 1;
      }
      if (bad) return 0;
    }
#endif
    for (; i < s->n; i++) {
      unsigned char c = p[i];
      if (c == '"') { s->i = i + 1; return 1; }
      if (c < 0x20 || c > 0x7E || c == '\\' || c == '.') return 0;
    }
    return 0;
  }
  i = lt_string_stop_inline(p, i, s->n, 1);
  if (i >= s->n || p[i] != '"') return 0;
  s->i = i + 1;
  return 1;
}

static inline int lt_plain_digit(lt_plain *s) { return s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9'; }

/* RFC 8259's number grammar, exactly. */
static int lt_plain_number(lt_plain *s) {
  if (s->p[s->i] == '-') s->i++;
  if (!lt_plain_digit(s)) return 0;
  if (s->p[s->i] == '0') s->i++;
  else while (lt_plain_digit(s)) s->i++;
  if (s->i < s->n && s->p[s->i] == '.') {
    s->i++;
    if (!lt_plain_digit(s)) return 0;
    while (lt_plain_digit(s)) s->i++;
  }
  if (s->i < s->n && (s->p[s->i] == 'e' || s->p[s->i] == 'E')) {
    s->i++;
    if (s->i < s->n && (s->p[s->i] == '+' || s->p[s->i] == '-')) s->i++;
    if (!lt_plain_digit(s)) return 0;
    while (lt_plain_digit(s)) s->i++;
  }
  return 1;
}

static inline int lt_plain_literal(lt_plain *s, const char *word, size_t length) {
  if (s->n - s->i < length || memcmp(s->p + s->i, word, length) != 0) return 0;
  s->i += length;
  return 1;
}

static int lt_plain_value(lt_plain *s, int depth);

/* At '{': the object's members, listed into `out` when given. Returns the count or -1. */
static int lt_plain_object(lt_plain *s, int depth, lt_member *out, int capacity) {
  if (depth > LT_PLAIN_MAX_DEPTH) return -1;
  s->i++;
  lt_plain_ws(s);
  if (s->i < s->n && s->p[s->i] == '}') { s->i++; return 0; }
  int base = s->open_keys, count = 0;
  /* One bit per (length, first byte, last byte) class of the object's keys so far: a key whose
     bit is clear cannot repeat one, and only the others are compared with every earlier key. */
  uint64_t classes = 0;
  for (;;) {
    if (s->i >= s->n || s->p[s->i] != '"') return -1;
    size_t key_start = s->i + 1;
    if (!lt_plain_string(s, 1)) return -1;
    uint32_t length = (uint32_t)(s->i - 1 - key_start);
    if (count == LT_PLAIN_MAX_MEMBERS || s->open_keys == LT_PLAIN_MAX_KEYS) return -1;
    unsigned class = (length * 7u + (length ? s->p[key_start] + 3u * s->p[key_start + length - 1] : 0u)) & 63u;
    if (classes & (1ull << class)) {
      for (int k = base; k < s->open_keys; k++) {
        if (s->key_length[k] == length && (length == 0 || s->p[s->key_start[k]] == s->p[key_start]) &&
            memcmp(s->p + s->key_start[k], s->p + key_start, length) == 0) return -1;
      }
    }
    classes |= 1ull << class;
    s->key_start[s->open_keys] = (uint32_t)key_start;
    s->key_length[s->open_keys] = length;
    s->open_keys++;
    lt_plain_ws(s);
    if (s->i >= s->n || s->p[s->i] != ':') return -1;
    s->i++;
    lt_plain_ws(s);
    size_t value_start = s->i;
    /* Most values are strings: read here rather than through lt_plain_value's dispatch. */
    if (s->i < s->n && s->p[s->i] == '"') {
      if (!lt_plain_string(s, 0)) return -1;
    } else if (!lt_plain_value(s, depth)) return -1;
    if (out && count < capacity) {
      out[count] = (lt_member){(uint32_t)key_start, (uint32_t)key_start + length, (uint32_t)value_start, (uint32_t)s->i};
    }
    count++;
    lt_plain_ws(s);
    if (s->i >= s->n) return -1;
    unsigned char c = s->p[s->i++];
    if (c == '}') { s->open_keys = base; return count; }
    if (c != ',') return -1;
    lt_plain_ws(s);
  }
}

static int lt_plain_array(lt_plain *s, int depth) {
  if (depth > LT_PLAIN_MAX_DEPTH) return 0;
  s->i++;
  lt_plain_ws(s);
  if (s->i < s->n && s->p[s->i] == ']') { s->i++; return 1; }
  for (;;) {
    if (!lt_plain_value(s, depth)) return 0;
    lt_plain_ws(s);
    if (s->i >= s->n) return 0;
    unsigned char c = s->p[s->i++];
    if (c == ']') return 1;
    if (c != ',') return 0;
    lt_plain_ws(s);
  }
}

static int lt_plain_value(lt_plain *s, int depth) {
  if (s->i >= s->n) return 0;
  switch (s->p[s->i]) {
  case '{': return lt_plain_object(s, depth + 1, NULL, 0) >= 0;
  case '[': return lt_plain_array(s, depth + 1);
  case '"': return lt_plain_string(s, 0);
  case 't': return lt_plain_literal(s, "true", 4);
  case 'f': return lt_plain_literal(s, "false", 5);
  case 'n': return lt_plain_literal(s, "null", 4);
  default:
    if (s->p[s->i] == '-' || (s->p[s->i] >= '0' && s->p[s->i] <= '9')) return lt_plain_number(s);
    return 0;
  }
}

int lt_object_members(const unsigned char *base, size_t count, lt_member *members, int capacity) {
  if (count >= UINT32_MAX) return -1;
  lt_plain s;
  s.p = base;
  s.n = count;
  s.i = 0;
  s.open_keys = 0;
  lt_plain_ws(&s);
  if (s.i >= s.n || s.p[s.i] != '{') return -1;
  int found = lt_plain_object(&s, 1, members, capacity);
  if (found < 0) return -1;
  lt_plain_ws(&s);
  return s.i == s.n ? found : -1;
}

/* Where a JSON object or array ends (JSONScanner.endOfValue), 64 bytes per step.

   Each block becomes five bitmasks (bit i for byte i): quotes, backslashes, opening and closing
   brackets, newlines. From them, with no per-byte branches:
   - escaped: the bytes a backslash escapes. A backslash escapes the next byte unless it is itself
     escaped, so in a run of backslashes starting at s the escapers are s, s + 2, ...; runs are
     split by the parity of their start (adding a run's start bit to the run clears exactly that
     run), and the escapers are the even bits of even-started runs and the odd bits of the others.
     A block ending on an escaper escapes the next block's first byte.
   - in_string: the prefix XOR of the unescaped quotes (an opening quote and the string's bytes
     are in, its closing quote is out), flipped when the previous block ended inside a string.
   Then only the brackets outside strings and the raw newlines inside them are visited, in order.

   The sequential scanner this replaces reads a backslash as an escape only inside a string;
   outside one (never in valid JSON) it is an ordinary byte. The masks treat every backslash as
   an escape, which agrees with the sequential reading exactly when every escaper is inside a
   string: so a block where one is not is scanned byte by byte from its start, from its state. */

enum { LT_VALUE_END = 0, LT_VALUE_INVALID = 1, LT_VALUE_INCOMPLETE = 2 };

typedef struct { uint64_t quote, backslash, open, close, newline; } lt_block_masks;

/* The byte-by-byte scanner from `pos` in the given state (also the reading the blocks reproduce). */
static int lt_value_end_bytes(const unsigned char *base, size_t pos, size_t count, ptrdiff_t depth, int in_string,
                              int escaped, ptrdiff_t max_depth, size_t *position) {
  for (; pos < count; pos++) {
    unsigned char c = base[pos];
    if (in_string) {
      if (escaped) escaped = 0;
      else if (c == '"') in_string = 0;
      else if (c == '\\') escaped = 1;
      else if (c == '\n') { *position = pos; return LT_VALUE_INVALID; }
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) { *position = pos; return LT_VALUE_INVALID; }
    } else if (c == '}' || c == ']') {
      if (--depth == 0) { *position = pos + 1; return LT_VALUE_END; }
    } else if (c == '"') {
      in_string = 1;
    }
  }
  return LT_VALUE_INCOMPLETE;
}

static inline void lt_masks_bytes(const unsigned char *p, lt_block_masks *m) {
  lt_block_masks r = {0, 0, 0, 0, 0};
  for (int i = 0; i < 64; i++) {
    uint64_t bit = (uint64_t)1 << i;
    switch (p[i]) {
    case '"': r.quote |= bit; break;
    case '\\': r.backslash |= bit; break;
    case '{': case '[': r.open |= bit; break;
    case '}': case ']': r.close |= bit; break;
    case '\n': r.newline |= bit; break;
    default: break;
    }
  }
  *m = r;
}

#if defined(__SSE2__)
static inline void lt_masks_sse2(const unsigned char *p, lt_block_masks *m) {
  /* `[` and `{` differ only in bit 0x20, as do `]` and `}`: one compare each after setting it. */
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
  const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}'), fold = _mm_set1_epi8(0x20);
  lt_block_masks r = {0, 0, 0, 0, 0};
  for (int k = 0; k < 4; k++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k)), folded = _mm_or_si128(v, fold);
    int shift = 16 * k;
    r.quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << shift;
    r.backslash |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) << shift;
    r.newline |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)) << shift;
    r.open |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)) << shift;
    r.close |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close)) << shift;
  }
  *m = r;
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LT_HAVE_AVX2_PATH 1
#include <immintrin.h>
/* The same masks 32 bytes per compare, on machines that have AVX2 (checked at run time: the
   binary itself needs only SSE2). */
__attribute__((target("avx2"))) static inline void lt_masks_avx2(const unsigned char *p, lt_block_masks *m) {
  const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), newline = _mm256_set1_epi8('\n');
  const __m256i open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}'), fold = _mm256_set1_epi8(0x20);
  lt_block_masks r = {0, 0, 0, 0, 0};
  for (int k = 0; k < 2; k++) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * k)), folded = _mm256_or_si256(v, fold);
    int shift = 32 * k;
    r.quote |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote)) << shift;
    r.backslash |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash)) << shift;
    r.newline |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, newline)) << shift;
    r.open |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, open)) << shift;
    r.close |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, close)) << shift;
  }
  *m = r;
}
#endif

static inline uint64_t lt_prefix_xor(uint64_t x) {
  x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32;
  return x;
}

static inline __attribute__((always_inline)) int lt_value_end_blocks(const unsigned char *base, size_t start, size_t count,
                                                                      ptrdiff_t max_depth, size_t *position,
                                                                      void (*masks)(const unsigned char *, lt_block_masks *)) {
  const uint64_t even = 0x5555555555555555ULL;
  uint64_t escape_carry = 0;  /* 1: the block's first byte is escaped */
  uint64_t string_carry = 0;  /* all ones: the block starts inside a string */
  ptrdiff_t depth = 0;
  unsigned char tail[64];
  for (size_t pos = start; pos < count; pos += 64) {
    const unsigned char *p = base + pos;
    if (count - pos < 64) {  /* the last, short block: padded with spaces, which change nothing */
      memset(tail, ' ', sizeof tail);
      memcpy(tail, p, count - pos);
      p = tail;
    }
    lt_block_masks m;
    masks(p, &m);
    uint64_t escapers = 0, escaped = escape_carry;
    if (m.backslash | escape_carry) {  /* most blocks of a CloudTrail record have no backslash */
      uint64_t backslash = m.backslash & ~escape_carry;
      uint64_t even_starts = backslash & ~(backslash << 1) & even;
      uint64_t even_runs = backslash & ~(backslash + even_starts);
      escapers = (even_runs & even) | (backslash & ~even_runs & ~even);
      escaped |= escapers << 1;
    }
    uint64_t in_string = lt_prefix_xor(m.quote & ~escaped) ^ string_carry;
    if (escapers & ~in_string)  /* a backslash outside a string: read it as the byte scanner does */
      return lt_value_end_bytes(base, pos, count, depth, string_carry != 0, escape_carry != 0, max_depth, position);
    uint64_t opens = m.open & ~in_string, closes = m.close & ~in_string;
    uint64_t raw_newlines = m.newline & in_string & ~escaped;
    ptrdiff_t opened = __builtin_popcountll(opens), closed = __builtin_popcountll(closes);
    if (raw_newlines == 0 && depth - closed > 0 && depth + opened <= max_depth) {
      depth += opened - closed;  /* neither the end nor too deep in this block */
    } else {
      /* The brackets before the first raw newline, in order; which kind a bracket is goes into the
         depth without a branch (it is unpredictable), and the rare end tests branch. Depth is at
         least 1 before every bracket but the first, so only a closing one can end the value and
         only an opening one can go too deep. */
      uint64_t newline = raw_newlines & (0 - raw_newlines), events = opens | closes;
      if (newline) events &= newline - 1;
      for (; events; events &= events - 1) {
        int i = __builtin_ctzll(events);
        depth += (ptrdiff_t)((opens >> i) & 1) * 2 - 1;
        if (depth > max_depth) { *position = pos + (size_t)i; return LT_VALUE_INVALID; }
        if (depth == 0) { *position = pos + (size_t)i + 1; return LT_VALUE_END; }
      }
      if (newline) { *position = pos + (size_t)__builtin_ctzll(newline); return LT_VALUE_INVALID; }
    }
    escape_carry = escapers >> 63;
    string_carry = (uint64_t)0 - (in_string >> 63);
  }
  return LT_VALUE_INCOMPLETE;
}

/* Each entry point is the loop with its mask builder inlined (a constant function pointer). */
static int lt_value_end_bytes_masks(const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position) {
  return lt_value_end_blocks(base, start, count, max_depth, position, lt_masks_bytes);
}

#if defined(__SSE2__)
static int lt_value_end_sse2(const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position) {
  return lt_value_end_blocks(base, start, count, max_depth, position, lt_masks_sse2);
}
#endif

#if defined(LT_HAVE_AVX2_PATH)
__attribute__((target("avx2")))
static int lt_value_end_avx2(const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position) {
  return lt_value_end_blocks(base, start, count, max_depth, position, lt_masks_avx2);
}
#endif

unsigned lt_value_end_builders(void) {
  unsigned builders = 1u << LT_MASKS_BYTES;
#if defined(__SSE2__)
  builders |= 1u << LT_MASKS_SSE2;
#endif
#if defined(LT_HAVE_AVX2_PATH)
  if (__builtin_cpu_supports("avx2")) builders |= 1u << LT_MASKS_AVX2;
#endif
  return builders;
}

int lt_value_end_using(int builder, const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position) {
  if ((unsigned)builder >= 32 || !(lt_value_end_builders() & (1u << builder))) builder = LT_MASKS_BYTES;
  switch (builder) {
#if defined(LT_HAVE_AVX2_PATH)
  case LT_MASKS_AVX2: return lt_value_end_avx2(base, start, count, max_depth, position);
#endif
#if defined(__SSE2__)
  case LT_MASKS_SSE2: return lt_value_end_sse2(base, start, count, max_depth, position);
#endif
  default: return lt_value_end_bytes_masks(base, start, count, max_depth, position);
  }
}

int lt_value_end(const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position) {
#if defined(LT_HAVE_AVX2_PATH)
  if (__builtin_cpu_supports("avx2")) return lt_value_end_avx2(base, start, count, max_depth, position);
#endif
#if defined(__SSE2__)
  return lt_value_end_sse2(base, start, count, max_depth, position);
#else
  return lt_value_end_bytes_masks(base, start, count, max_depth, position);
#endif
}

#include <signal.h>

static volatile sig_atomic_t lt_caught_signal = 0;

static void lt_record_signal(int sig) { lt_caught_signal = sig; }

void lt_catch_termination_signals(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = lt_record_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGHUP, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
}

int lt_take_termination_signal(void) {
  int sig = lt_caught_signal;
  lt_caught_signal = 0;
  return sig;
}

int lt_peek_termination_signal(void) { return lt_caught_signal; }

void lt_release_termination_signals(void) {
  signal(SIGHUP, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
}

/* lt_accepted_object_members: lists an object inside a record lt_object_members accepted, without
   checking it again (the scalar reader lists userIdentity and the objects below it after the whole
   record passed, and checking them a second and third time cost more than listing them). Such an
   object is plain: a string ends at its next quote, a container where lt_value_end says. Anything
   unexpected still returns -1 rather than reading out of bounds. */
static inline size_t lt_skip_ws(const unsigned char *p, size_t i, size_t n) {
  while (i < n && (p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09)) i++;
  return i;
}

int lt_accepted_object_members(const unsigned char *base, size_t count, lt_member *members, int capacity) {
  if (count >= UINT32_MAX) return -1;
  size_t i = lt_skip_ws(base, 0, count);
  if (i >= count || base[i] != '{') return -1;
  i = lt_skip_ws(base, i + 1, count);
  if (i < count && base[i] == '}') return 0;
  int listed = 0;
  for (;;) {
    if (i >= count || base[i] != '"' || listed == LT_PLAIN_MAX_MEMBERS) return -1;
    size_t key_start = i + 1;
    const unsigned char *quote = memchr(base + key_start, '"', count - key_start);
    if (!quote) return -1;
    size_t key_end = (size_t)(quote - base);
    i = lt_skip_ws(base, key_end + 1, count);
    if (i >= count || base[i] != ':') return -1;
    i = lt_skip_ws(base, i + 1, count);
    if (i >= count) return -1;
    size_t value_start = i;
    if (base[i] == '"') {
      quote = memchr(base + i + 1, '"', count - i - 1);
      if (!quote) return -1;
      i = (size_t)(quote - base) + 1;
    } else if (base[i] == '{' || base[i] == '[') {
      size_t end;
      if (lt_value_end(base, i, count, LT_PLAIN_MAX_DEPTH + 1, &end) != LT_VALUE_END) return -1;
      i = end;
    } else {
      while (i < count && base[i] > 0x20 && base[i] != ',' && base[i] != '}' && base[i] != ']') i++;
    }
    if (listed < capacity) members[listed] = (lt_member){(uint32_t)key_start, (uint32_t)key_end, (uint32_t)value_start, (uint32_t)i};
    listed++;
    i = lt_skip_ws(base, i, count);
    if (i >= count) return -1;
    unsigned char c = base[i++];
    if (c == '}') return listed;
    if (c != ',') return -1;
    i = lt_skip_ws(base, i, count);
  }
}

/* lt_json_plain_prefix: JSONWriter's search for the next byte it must look at, 16 bytes per step
   (alerts are written at tens of bytes per string, and a byte-by-byte test of five conditions cost
   more than copying). */
size_t lt_json_plain_prefix(const unsigned char *p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7F);
  const __m128i lead = _mm_set1_epi8((char)0xE2), control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, lead)),
                                             _mm_cmpeq_epi8(_mm_max_epu8(v, control), control)));
    unsigned mask = (unsigned)_mm_movemask_epi8(stop);
    if (mask) return i + (size_t)__builtin_ctz(mask);
  }
#endif
  for (; i < n; i++) {
    unsigned char c = p[i];
    if (c < 0x20 || c == '"' || c == '\\' || c == 0x7F || c == 0xE2) return i;
  }
  return n;
}

/* lt_find_short: 32 bytes per step where the CPU has AVX2 (a search for `@timestamp` or the
   Lambda host name may cross a whole record), else lt_find_short_from. */
#if defined(LT_HAVE_AVX2_PATH)
__attribute__((target("avx2"))) static const void *lt_find_short_avx2(const unsigned char *h, size_t haystack_len, const unsigned char *n, size_t needle_len) {
  size_t last = needle_len - 1, stop = haystack_len - last, i = 0;
  const __m256i first = _mm256_set1_epi8((char)n[0]), final = _mm256_set1_epi8((char)n[last]);
  for (; i + 32 <= stop; i += 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(h + i)), b = _mm256_loadu_si256((const __m256i *)(h + i + last));
    unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, final)));
    while (mask) {
      size_t at = i + (size_t)__builtin_ctz(mask);
      if (memcmp(h + at + 1, n + 1, needle_len - 2) == 0) return h + at;
      mask &= mask - 1;
    }
  }
  return lt_find_short_from(h, haystack_len, n, needle_len, i);
}
#endif

/* The search with a step the caller knows the machine has. */
static const void *lt_find_short_with(int builder, const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
  const unsigned char *h = haystack, *n = needle;
  if (needle_len == 0) return haystack;
  if (needle_len > haystack_len) return NULL;
  if (needle_len == 1) return memchr(haystack, n[0], haystack_len);
#if defined(LT_HAVE_AVX2_PATH)
  if (builder == LT_MASKS_AVX2) return lt_find_short_avx2(h, haystack_len, n, needle_len);
#endif
  if (builder == LT_MASKS_BYTES) return lt_find_short_bytes(h, haystack_len, n, needle_len, 0);
  return lt_find_short_from(h, haystack_len, n, needle_len, 0);
}

const void *lt_find_short_using(int builder, const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
  if (builder < 0 || builder > LT_MASKS_AVX2 || !(lt_value_end_builders() & (1u << builder))) builder = LT_MASKS_SSE2;
  return lt_find_short_with(builder, haystack, haystack_len, needle, needle_len);
}

const void *lt_find_short(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
#if defined(LT_HAVE_AVX2_PATH)
  if (__builtin_cpu_supports("avx2")) return lt_find_short_with(LT_MASKS_AVX2, haystack, haystack_len, needle, needle_len);
#endif
  return lt_find_short_with(LT_MASKS_SSE2, haystack, haystack_len, needle, needle_len);
}

/* lt_event_keys: one pass over a record's `"event` prefixes, in C because the pre-filter runs it
   on every record: a Swift loop of lt_find_short calls spent more on the calls than on the search
   (the first `"event` is usually eventVersion; eventTime, eventSource and eventName follow the
   userIdentity block). Candidates are where a quote and a `t` five bytes on line up, as in
   lt_find_short. Returns 1 once all three keys are found. */
static inline int lt_event_key_candidate(const unsigned char *p, size_t length, size_t at, lt_event_key_offsets *found) {
  size_t k = at + 6, rest = length - k;
  if (memcmp(p + at + 1, "even", 4) != 0) return 0;
  if (found->time < 0 && rest >= 5 && memcmp(p + k, "Time\"", 5) == 0) found->time = (ptrdiff_t)at;
  else if (found->source < 0 && rest >= 7 && memcmp(p + k, "Source\"", 7) == 0) found->source = (ptrdiff_t)at;
  else if (found->name < 0 && rest >= 5 && memcmp(p + k, "Name\"", 5) == 0) found->name = (ptrdiff_t)at;
  else return 0;
  return found->time >= 0 && found->source >= 0 && found->name >= 0;
}

/* The candidates of one step (bit k: position base + k), in order; 1 once all three keys are found. */
static inline __attribute__((always_inline)) int lt_event_key_candidates(const unsigned char *p, size_t length, size_t base, uint64_t mask, lt_event_key_offsets *found) {
  for (; mask; mask &= mask - 1) {
    if (lt_event_key_candidate(p, length, base + (size_t)__builtin_ctzll(mask), found)) return 1;
  }
  return 0;
}

static size_t lt_event_keys_sse2(const unsigned char *p, size_t length, lt_event_key_offsets *found, int *done) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), t = _mm_set1_epi8('t');
  for (; i + 16 + 5 <= length; i += 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i)), b = _mm_loadu_si128((const __m128i *)(p + i + 5));
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(b, t)));
    if (lt_event_key_candidates(p, length, i, mask, found)) { *done = 1; return i; }
  }
#endif
  return i;
}

#if defined(LT_HAVE_AVX2_PATH)
__attribute__((target("avx2"))) static size_t lt_event_keys_avx2(const unsigned char *p, size_t length, lt_event_key_offsets *found, int *done) {
  size_t i = 0;
  const __m256i quote = _mm256_set1_epi8('"'), t = _mm256_set1_epi8('t');
  /* 64 bytes per step with one test for both halves: most steps (the userIdentity block) have no
     candidate, and the loop's own instructions were most of the pre-filter's cost. */
  for (; i + 64 + 5 <= length; i += 64) {
    __m256i low = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i)), quote),
                                   _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 5)), t));
    __m256i high = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 32)), quote),
                                    _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i + 37)), t));
    __m256i any = _mm256_or_si256(low, high);
    if (_mm256_testz_si256(any, any)) continue;
    uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(low) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(high) << 32);
    if (lt_event_key_candidates(p, length, i, mask, found)) { *done = 1; return i; }
  }
  for (; i + 32 + 5 <= length; i += 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(p + i)), b = _mm256_loadu_si256((const __m256i *)(p + i + 5));
    unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, quote), _mm256_cmpeq_epi8(b, t)));
    if (lt_event_key_candidates(p, length, i, (uint32_t)mask, found)) { *done = 1; return i; }
  }
  return i;
}
#endif

static lt_event_key_offsets lt_event_keys_with(int builder, const void *record, size_t length) {
  lt_event_key_offsets found = {-1, -1, -1};
  const unsigned char *p = record;
  int done = 0;
  size_t i = 0;
#if defined(LT_HAVE_AVX2_PATH)
  if (builder == LT_MASKS_AVX2) i = lt_event_keys_avx2(p, length, &found, &done);
#endif
  if (builder == LT_MASKS_SSE2) i = lt_event_keys_sse2(p, length, &found, &done);
  /* The last bytes, past the last whole block (all of them byte by byte). */
  for (; !done && i + 6 <= length; i++) {
    if (p[i] == '"' && p[i + 5] == 't') done = lt_event_key_candidate(p, length, i, &found);
  }
  return found;
}

lt_event_key_offsets lt_event_keys(const void *record, size_t length) {
#if defined(LT_HAVE_AVX2_PATH)
  if (__builtin_cpu_supports("avx2")) return lt_event_keys_with(LT_MASKS_AVX2, record, length);
#endif
  return lt_event_keys_with(LT_MASKS_SSE2, record, length);
}

lt_event_key_offsets lt_event_keys_using(int builder, const void *record, size_t length) {
  if (builder < 0 || builder > LT_MASKS_AVX2 || !(lt_value_end_builders() & (1u << builder))) builder = LT_MASKS_SSE2;
  return lt_event_keys_with(builder, record, length);
}

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void lt_keep_freed_memory(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}
