#include "terminals/souvenir/souvenir_print.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

extern char** environ;

namespace hakto::terminals::souvenir {

namespace {

/// lp's output kept, each stream (it says a line or two).
constexpr std::size_t max_lp_output = 16 * 1024;

/// A descriptor closed when it goes.
class owned_fd {
  public:
    owned_fd() = default;
    explicit owned_fd(int fd) : fd_(fd) {}
    owned_fd(owned_fd&& o) noexcept : fd_(o.release()) {}
    owned_fd& operator=(owned_fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = o.release();
        }
        return *this;
    }
    ~owned_fd() { reset(); }
    int get() const noexcept { return fd_; }
    int release() noexcept {
        int f = fd_;
        fd_ = -1;
        return f;
    }
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_ = -1;
};

/// The temporary copy of the PDF, removed when it goes.
class temporary_pdf {
  public:
    static expected<temporary_pdf, print_error> write(const std::string& bytes) {
        const char* dir = std::getenv("TMPDIR");
        std::string path = fmt::format("{}/hakto-souvenir-XXXXXX.pdf", dir && *dir ? dir : "/tmp");
        owned_fd fd{::mkstemps(path.data(), 4)};
        if (fd.get() < 0)
            return print_error{fmt::format("cannot make a temporary file for the PDF in {}: {}",
                                           dir && *dir ? dir : "/tmp", std::strerror(errno))};
        temporary_pdf t;
        t.path_ = path;
        std::size_t done = 0;
        while (done < bytes.size()) {
            auto n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0)
                return print_error{fmt::format("{}: write error: {}", path, std::strerror(errno))};
            done += static_cast<std::size_t>(n);
        }
        return t;
    }
    temporary_pdf() = default;
    temporary_pdf(temporary_pdf&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
    temporary_pdf& operator=(temporary_pdf&&) = delete;
    ~temporary_pdf() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove(path_, ignored);
    }
    const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
};

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    auto first = s.find_first_not_of(" \n\r");
    return first == std::string::npos ? std::string{} : s.substr(first);
}

}  // namespace

expected<std::string, print_error> print_pdf(const print_request& request) {
    auto file = temporary_pdf::write(request.pdf);
    if (!file) return file.error();

    std::vector<std::string> args{request.lp};
    if (request.printer) {
        args.emplace_back("-d");
        args.push_back(*request.printer);
    }
    args.insert(args.end(), {"-t", request.title, "--", file.value().path()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::array<int, 2> out_pipe{-1, -1}, err_pipe{-1, -1};
    if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0)
        return print_error{fmt::format("cannot run {}: {}", request.lp, std::strerror(errno))};
    owned_fd out_read{out_pipe[0]}, out_write{out_pipe[1]};
    if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0)
        return print_error{fmt::format("cannot run {}: {}", request.lp, std::strerror(errno))};
    owned_fd err_read{err_pipe[0]}, err_write{err_pipe[1]};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
    pid_t pid = -1;
    const int spawned =
        ::posix_spawnp(&pid, request.lp.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    out_write.reset();
    err_write.reset();
    if (spawned != 0) {
        if (spawned == ENOENT)
            return print_error{fmt::format(
                "{} not found: printing needs CUPS's lp (Debian package cups-client) on the PATH",
                request.lp)};
        return print_error{fmt::format("cannot run {}: {}", request.lp, std::strerror(spawned))};
    }

    // lp's output, both streams, until both close or the time is up.
    std::string out, err;
    const auto give_up = std::chrono::steady_clock::now() + request.timeout;
    bool timed_out = false;
    std::array<pollfd, 2> fds{pollfd{out_read.get(), POLLIN, 0}, pollfd{err_read.get(), POLLIN, 0}};
    std::array<std::string*, 2> sinks{&out, &err};
    int open_streams = 2;
    while (open_streams > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            give_up - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        int n = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) continue;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            std::array<char, 4096> buf{};
            auto got = ::read(fds[i].fd, buf.data(), buf.size());
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                fds[i].fd = -1;
                --open_streams;
                continue;
            }
            if (sinks[i]->size() < max_lp_output)
                sinks[i]->append(buf.data(), static_cast<std::size_t>(got));
        }
    }
    if (timed_out) ::kill(pid, SIGTERM);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        return print_error{fmt::format("{} did not finish within {} s and was stopped", request.lp,
                                       request.timeout.count())};
    const auto said = trimmed(err.empty() ? out : err);
    if (WIFSIGNALED(status))
        return print_error{fmt::format("{} was killed by signal {}{}{}", request.lp,
                                       WTERMSIG(status), said.empty() ? "" : ": ", said)};
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        return print_error{fmt::format("{} exited with status {}{}{}", request.lp,
                                       WEXITSTATUS(status), said.empty() ? "" : ": ",
                                       said.empty() ? "" : said)};
    return trimmed(out);
}

}  // namespace hakto::terminals::souvenir
