"""Protocol sizes shared with the host (proto/faasten/v1/cloudcall.proto, FrameLimits.cs)."""

HEADER_SIZE = 4
MAX_FRAME_SIZE = 16 * 1024 * 1024
MAX_CHUNK_SIZE = 1024 * 1024
# Room left in a frame for everything but the bytes of a whole-file write or a result.
MAX_INLINE_BYTES = MAX_FRAME_SIZE - 64 * 1024
