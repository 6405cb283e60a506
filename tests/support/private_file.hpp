#pragma once
// A file only its owner may read and write (mode 0600 from the moment it exists): how the tests
// write a --key-file, which hakto refuses when its group or others may read or write it
// (terminals/net/net_auth.hpp, shared_key::check_mode).
#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hakto::test {

/// Writes `text` to `path`, created (or truncated) with mode 0600, whatever the umask.
inline void write_private_file(const std::string& path, std::string_view text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + path);
    // An existing file keeps its mode through O_CREAT: set it.
    bool ok = ::fchmod(fd, 0600) == 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ::close(fd) == 0 && ok;
    if (!ok) throw std::runtime_error("cannot write " + path);
}

}  // namespace hakto::test
