#include "sim/io/file_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace hakto::sim {

std::string file_error::message() const {
    switch (kind) {
        case file_error_kind::cannot_open:
            return fmt::format("{}: cannot open: {}", path, detail);
        case file_error_kind::too_large:
            return fmt::format("{}: larger than {} bytes", path, detail);
        case file_error_kind::read_failed:
            return fmt::format("{}: read error: {}", path, detail);
        case file_error_kind::write_failed:
            return fmt::format("{}: write error: {}", path, detail);
    }
    return path;
}

expected<std::string, file_error> read_file(const std::string& path, std::size_t limit) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return file_error{file_error_kind::cannot_open, path, std::strerror(errno)};
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return file_error{file_error_kind::cannot_open, path, "it is a directory"};
    return read_stream(f, path, limit);
}

expected<std::string, file_error> read_stream(std::istream& in, const std::string& name,
                                              std::size_t limit) {
    std::string data;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        data.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (data.size() > limit)
            return file_error{file_error_kind::too_large, name, fmt::format("{}", limit)};
    }
    if (in.bad()) return file_error{file_error_kind::read_failed, name, std::strerror(errno)};
    return data;
}

expected<void, file_error> write_file_atomically(const std::string& path, std::string_view data) {
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    // Errors name the file asked for; the temporary name is this function's own business.
    if (fd < 0) return file_error{file_error_kind::cannot_open, path, std::strerror(errno)};
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            auto reason = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return file_error{file_error_kind::write_failed, path, reason};
        }
        done += static_cast<std::size_t>(n);
    }
    // On disk before it takes the name: a crash leaves the old file or the new, never half.
    // Closed whether or not fsync succeeded; the first failure is the one reported.
    const int sync_errno = ::fsync(fd) == 0 ? 0 : errno;
    const int close_errno = ::close(fd) == 0 ? 0 : errno;
    if (sync_errno != 0 || close_errno != 0) {
        auto reason = std::strerror(sync_errno != 0 ? sync_errno : close_errno);
        ::unlink(tmp.c_str());
        return file_error{file_error_kind::write_failed, path, reason};
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        auto reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        return file_error{file_error_kind::write_failed, path, reason};
    }
    return outcome::success();
}

}  // namespace hakto::sim
