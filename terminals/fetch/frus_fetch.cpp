// `hakto frus fetch` below the command line: download, check, store atomically.
#include "terminals/fetch/frus_fetch.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace hakto::terminals {

namespace {

namespace fs = std::filesystem;

fetch_error store_error(const std::string& path, std::string_view what, int err) {
    return {fetch_error_kind::store, fmt::format("{}: {}: {}", path, what, std::strerror(err))};
}

/// A temporary file that is removed unless it was renamed into place (release()).
class temporary_file {
  public:
    temporary_file(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    temporary_file(const temporary_file&) = delete;
    temporary_file& operator=(const temporary_file&) = delete;
    ~temporary_file() {
        if (fd_ >= 0) ::close(fd_);
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    /// Closes the file; returns 0 or the errno of close().
    int close() {
        int rc = ::close(fd_) == 0 ? 0 : errno;
        fd_ = -1;
        return rc;
    }
    void release() { path_.clear(); }

  private:
    std::string path_;
    int fd_ = -1;
};

/// Creates DIR/.NAME.PID.N.tmp with O_EXCL: never an existing file, never another process's.
std::optional<temporary_file> create_temporary(const std::string& dir, std::string_view name,
                                               int& err) {
    static unsigned counter = 0;
    auto seed = static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count() &
                                      0xFFFFFF);
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto path =
            (fs::path{dir} / fmt::format(".{}.{}.{:x}.tmp", name, ::getpid(), seed + counter++))
                .string();
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) return std::optional<temporary_file>{std::in_place, std::move(path), fd};
        if (errno != EEXIST) {
            err = errno;
            return std::nullopt;
        }
    }
    err = EEXIST;
    return std::nullopt;
}

/// Whether the file at `path` holds exactly `data` (what reached the disk, read back).
bool holds(const std::string& path, std::string_view data, int& err) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err = errno;
        return false;
    }
    std::string chunk(1u << 16, '\0');
    std::size_t at = 0;
    bool same = true;
    while (same) {
        auto n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            same = false;
            break;
        }
        if (n == 0) break;
        auto got = static_cast<std::size_t>(n);
        same = at + got <= data.size() && data.compare(at, got, chunk.data(), got) == 0;
        at += got;
    }
    ::close(fd);
    return same && at == data.size();
}

}  // namespace

expected<std::string, fetch_error> store_file_atomically(const std::string& dir,
                                                         std::string_view name,
                                                         std::string_view data) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        bool created = fs::create_directories(dir, ec);
        if (ec)
            return fetch_error{
                fetch_error_kind::store,
                fmt::format("cannot create the data directory {}: {}", dir, ec.message())};
        // The data directory of docs/frus-import.md: rwxr-xr-x, whatever the umask.
        if (created)
            fs::permissions(dir,
                            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec,
                            ec);
    }
    const auto final_path = (fs::path{dir} / std::string{name}).string();
    int err = 0;
    auto tmp = create_temporary(dir, name, err);
    // Errors name the file asked for; the temporary name is this function's own business.
    if (!tmp) return store_error(final_path, "cannot create a file beside it", err);
    // rw-r--r--: the service user writes it, the exhibit and everyone may read it.
    if (::fchmod(tmp->fd(), 0644) != 0)
        return store_error(final_path, "cannot set its mode", errno);
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(tmp->fd(), data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return store_error(final_path, "write error", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    // On disk before it takes the name: a crash leaves the old file or the new, never half.
    if (::fsync(tmp->fd()) != 0) return store_error(final_path, "write error (fsync)", errno);
    if (int rc = tmp->close(); rc != 0) return store_error(final_path, "write error (close)", rc);
    err = 0;
    if (!holds(tmp->path(), data, err))
        return err ? store_error(final_path, "cannot read back what was written", err)
                   : fetch_error{fetch_error_kind::store,
                                 fmt::format("{}: what was written differs from what was "
                                             "received",
                                             final_path)};
    if (::rename(tmp->path().c_str(), final_path.c_str()) != 0)
        return store_error(final_path, "cannot rename the new file into place", errno);
    tmp->release();
    // The rename is durable once the directory is (fsync(2): "also needs an explicit fsync()
    // on a file descriptor for the directory").
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return store_error(dir, "stored, but cannot open the directory to sync it", errno);
    int sync_err = ::fsync(dfd) == 0 ? 0 : errno;
    ::close(dfd);
    if (sync_err != 0) return store_error(dir, "stored, but cannot sync the directory", sync_err);
    return final_path;
}

expected<frus_fetch_result, fetch_error> fetch_frus_volume(const frus_fetch_options& options) {
    auto got = https_get(options.url, options.http);
    if (!got) return got.error();
    auto& response = got.value();
    if (options.http.progress)
        options.http.progress(
            fmt::format("received {} bytes from {}", response.body.size(), response.url));
    auto volume = check_frus_volume(response.body, response.url);
    if (!volume)
        return fetch_error{fetch_error_kind::check,
                           fmt::format("{} (nothing was stored)", volume.error().message)};
    auto stored = store_file_atomically(options.data_dir, frus_volume_file, response.body);
    if (!stored) return stored.error();
    frus_fetch_result out;
    out.path = std::move(stored.value());
    out.url = response.url;
    out.bytes = response.body.size();
    out.volume = std::move(volume.value());
    return out;
}

}  // namespace hakto::terminals
