#pragma once
// An append-only journal file: typed records, each with its length and a CRC-32, made durable
// with fdatasync. Opening a journal reads every whole record back; a torn or corrupt tail (a
// crash in the middle of a write) is cut off, and how many bytes were dropped is reported.
//
// Record layout (integers big-endian):
//   u32 payload length (at most max_record)   u32 CRC-32 of the type byte and the payload
//   u8 type                                   payload
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "protocol/text/expected.hpp"

namespace hakto::terminals {

struct journal_error {
    std::string message;  ///< names the file and the reason
};

struct journal_record {
    std::uint8_t type = 0;
    std::vector<std::uint8_t> payload;
};

/// CRC-32 (IEEE 802.3, reflected, as zlib computes it), continuing from `crc`.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0) noexcept;

class journal {
  public:
    static constexpr std::size_t max_record = 16u << 20;

    /// Opens (creating if need be) the journal file `path` and reads its records into `records`.
    static expected<std::unique_ptr<journal>, journal_error> open(
        const std::string& path, std::vector<journal_record>& records);
    /// Compaction: writes `records` to PATH.compact, fdatasyncs it and renames it over `path`
    /// (atomic: a crash leaves the old journal or the new one, whole), then opens it to append.
    /// The journal replaced stays as PATH.prev (one generation: the one before goes).
    static expected<std::unique_ptr<journal>, journal_error> replace(
        const std::string& path, const std::vector<journal_record>& records);
    /// The whole records of the journal file `path`, read only (none if there is no such file;
    /// a torn tail is left out).
    static expected<std::vector<journal_record>, journal_error> read_all(const std::string& path);
    ~journal();
    journal(const journal&) = delete;
    journal& operator=(const journal&) = delete;

    /// Writes a record (to the kernel; durable after sync()).
    expected<void, journal_error> append(std::uint8_t type, std::span<const std::uint8_t> payload);
    /// fdatasync: every record appended so far is on disk when this returns.
    expected<void, journal_error> sync();

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    /// Bytes of a torn or corrupt tail cut off when the journal was opened.
    [[nodiscard]] std::size_t dropped_bytes() const noexcept { return dropped_; }
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    [[nodiscard]] std::uint64_t syncs() const noexcept { return syncs_; }

  private:
    journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::string path_;
    int fd_ = -1;
    std::size_t dropped_ = 0;
    std::uint64_t size_ = 0;
    std::uint64_t syncs_ = 0;
    bool dirty_ = false;
};

}  // namespace hakto::terminals
