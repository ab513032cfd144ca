#include <zlib.h>

/// inflateInit2 is a macro, which Swift cannot call: this opens a stream that reads a gzip
/// member (window bits 16 + MAX_WBITS), for OTLP request bodies sent with Content-Encoding gzip.
static inline int agentlog_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
