#pragma once
// Reading a whole file, the one way hakto does it: bounded, and with one wording of what went
// wrong ("PATH: cannot open: No such file or directory"). Every part that reads a file reads
// it here.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"

namespace hakto::sim {

/// Largest file hakto reads whole: a FRUS volume is about 4 MB, a WAV of an hour of 8 kHz audio
/// about 60 MB.
inline constexpr std::size_t max_file_bytes = 256u << 20;

enum class file_error_kind { cannot_open, too_large, read_failed, write_failed };

struct file_error {
    file_error_kind kind = file_error_kind::cannot_open;
    std::string path;    ///< the file, or "<stdin>"
    std::string detail;  ///< the system's reason, or the limit
    /// "PATH: cannot open: REASON", "PATH: larger than N bytes", "PATH: read error: REASON",
    /// "PATH: write error: REASON".
    std::string message() const;
};

/// The whole of the file at `path`, at most `limit` bytes ("-" is not standard input here).
expected<std::string, file_error> read_file(const std::string& path,
                                            std::size_t limit = max_file_bytes);

/// The rest of `in` (standard input, a pipe), at most `limit` bytes; `name` is what errors
/// call it ("<stdin>").
expected<std::string, file_error> read_stream(std::istream& in, const std::string& name,
                                              std::size_t limit = max_file_bytes);

/// Writes `data` to `path` whole or not at all: a temporary file beside it, flushed to disk,
/// then renamed over it.
expected<void, file_error> write_file_atomically(const std::string& path, std::string_view data);

}  // namespace hakto::sim
