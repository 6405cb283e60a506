#include "terminals/net/net_journal.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace hakto::terminals {

namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}
constexpr auto crc_table = make_crc_table();

constexpr std::size_t record_header = 9;

std::string errno_text(int e) {
    return std::strerror(e);
}

void put32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
std::uint32_t get32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
}

/// Makes the directory entry of a new file durable.
void sync_directory(const std::string& file) {
    auto dir = std::filesystem::path(file).parent_path();
    if (dir.empty()) dir = ".";
    int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d >= 0) {
        ::fsync(d);
        ::close(d);
    }
}

/// Reads every whole record of `bytes` into `records`; returns where the whole records end.
std::size_t parse_records(const std::vector<std::uint8_t>& bytes,
                          std::vector<journal_record>& records) {
    std::size_t pos = 0;
    while (bytes.size() - pos >= record_header) {
        const std::uint8_t* h = bytes.data() + pos;
        std::uint32_t len = get32(h);
        if (len > journal::max_record || bytes.size() - pos - record_header < len) break;
        std::uint32_t want = get32(h + 4);
        auto body = std::span<const std::uint8_t>(h + 8, len + 1);  // type and payload
        if (crc32(body) != want) break;
        records.push_back(journal_record{
            h[8], std::vector<std::uint8_t>(h + record_header, h + record_header + len)});
        pos += record_header + len;
    }
    return pos;
}

/// The whole of an open file.
expected<std::vector<std::uint8_t>, journal_error> read_fd(int fd, const std::string& path) {
    std::vector<std::uint8_t> bytes;
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return journal_error{fmt::format("journal {}: {}", path, errno_text(errno))};
    bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < bytes.size()) {
        auto n = ::pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return journal_error{
                fmt::format("journal {}: cannot read: {}", path, errno_text(errno))};
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);
    return bytes;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc) noexcept {
    crc = ~crc;
    for (auto b : bytes) crc = crc_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

expected<std::unique_ptr<journal>, journal_error> journal::open(
    const std::string& path, std::vector<journal_record>& records) {
    bool existed = std::filesystem::exists(path);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return journal_error{fmt::format("journal {}: cannot open: {}", path, errno_text(errno))};
    std::unique_ptr<journal> j{new journal(path, fd)};
    if (!existed) sync_directory(path);

    // Read it all: journals are small next to memory (every cable they hold is in memory too).
    auto read = read_fd(fd, path);
    if (!read) return read.error();
    const auto& bytes = read.value();
    const std::size_t pos = parse_records(bytes, records);
    if (pos != bytes.size()) {
        // A torn tail: the write that was under way when the process died. Cut it off so new
        // records follow the last whole one.
        j->dropped_ = bytes.size() - pos;
        if (::ftruncate(fd, static_cast<off_t>(pos)) != 0 || ::fdatasync(fd) != 0)
            return journal_error{
                fmt::format("journal {}: cannot cut a torn tail: {}", path, errno_text(errno))};
    }
    if (::lseek(fd, static_cast<off_t>(pos), SEEK_SET) < 0)
        return journal_error{fmt::format("journal {}: {}", path, errno_text(errno))};
    j->size_ = pos;
    return j;
}

expected<std::unique_ptr<journal>, journal_error> journal::replace(
    const std::string& path, const std::vector<journal_record>& records) {
    const auto tmp = path + ".compact";
    int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return journal_error{fmt::format("journal {}: cannot open: {}", tmp, errno_text(errno))};
    std::unique_ptr<journal> j{new journal(tmp, fd)};
    for (const auto& r : records)
        if (auto w = j->append(r.type, r.payload); !w) return w.error();
    if (::fsync(fd) != 0)
        return journal_error{fmt::format("journal {}: fsync failed: {}", tmp, errno_text(errno))};
    j->dirty_ = false;
    // The journal being replaced stays beside it as PATH.prev, one generation, for repeat
    // requests older than what the compacted journal holds (read_previous()).
    const auto prev = path + ".prev";
    const auto prev_tmp = prev + ".tmp";
    ::unlink(prev_tmp.c_str());
    if (::link(path.c_str(), prev_tmp.c_str()) == 0) ::rename(prev_tmp.c_str(), prev.c_str());
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return journal_error{
            fmt::format("journal {}: cannot rename {} over it: {}", path, tmp, errno_text(errno))};
    sync_directory(path);
    j->path_ = path;
    return j;
}

expected<std::vector<journal_record>, journal_error> journal::read_all(const std::string& path) {
    std::vector<journal_record> records;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return records;
        return journal_error{fmt::format("journal {}: cannot open: {}", path, errno_text(errno))};
    }
    auto bytes = read_fd(fd, path);
    ::close(fd);
    if (!bytes) return bytes.error();
    parse_records(bytes.value(), records);
    return records;
}

journal::~journal() {
    if (fd_ >= 0) {
        if (dirty_) ::fdatasync(fd_);
        ::close(fd_);
    }
}

expected<void, journal_error> journal::append(std::uint8_t type,
                                              std::span<const std::uint8_t> payload) {
    if (payload.size() > max_record)
        return journal_error{fmt::format("journal {}: a record of {} bytes, at most {}", path_,
                                         payload.size(), max_record)};
    std::vector<std::uint8_t> rec(record_header + payload.size());
    put32(rec.data(), static_cast<std::uint32_t>(payload.size()));
    rec[8] = type;
    std::copy(payload.begin(), payload.end(), rec.begin() + record_header);
    put32(rec.data() + 4, crc32(std::span<const std::uint8_t>(rec).subspan(8)));
    std::size_t done = 0;
    while (done < rec.size()) {
        auto n = ::write(fd_, rec.data() + done, rec.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            // Leave no half record behind: cut back to the last whole one.
            int e = errno;
            if (::ftruncate(fd_, static_cast<off_t>(size_)) == 0)
                ::lseek(fd_, static_cast<off_t>(size_), SEEK_SET);
            return journal_error{fmt::format("journal {}: write failed: {}", path_, errno_text(e))};
        }
        done += static_cast<std::size_t>(n);
    }
    size_ += rec.size();
    dirty_ = true;
    return outcome::success();
}

expected<void, journal_error> journal::sync() {
    if (!dirty_) return outcome::success();
    if (::fdatasync(fd_) != 0)
        return journal_error{
            fmt::format("journal {}: fdatasync failed: {}", path_, errno_text(errno))};
    dirty_ = false;
    ++syncs_;
    return outcome::success();
}

}  // namespace hakto::terminals
