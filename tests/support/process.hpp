#pragma once
// Real processes for the network tests: start `hakto` with arguments, its standard error to a
// log file, kill it (SIGKILL or SIGTERM), wait for it; read port files it writes.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hakto::test {

class process {
  public:
    process() = default;
    /// Starts `binary args…`; standard output and error are appended to `log`.
    process(const std::string& binary, const std::vector<std::string>& args,
            const std::string& log) {
        start(binary, args, log);
    }
    process(const process&) = delete;
    process& operator=(const process&) = delete;
    process(process&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
    process& operator=(process&& o) noexcept {
        if (this != &o) {
            stop(SIGKILL);
            pid_ = o.pid_;
            o.pid_ = -1;
        }
        return *this;
    }
    ~process() { stop(SIGKILL); }

    void start(const std::string& binary, const std::vector<std::string>& args,
               const std::string& log) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        std::vector<std::string> all{binary};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_t pid = -1;
        int rc = posix_spawn(&pid, binary.c_str(), &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        pid_ = rc == 0 ? pid : -1;
    }
    [[nodiscard]] bool running() const { return pid_ > 0; }
    [[nodiscard]] pid_t pid() const { return pid_; }
    /// Sends `sig` and waits; returns the exit status (or 128 + signal).
    int stop(int sig) {
        if (pid_ <= 0) return -1;
        ::kill(pid_, sig);
        return wait();
    }
    int wait() {
        if (pid_ <= 0) return -1;
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
    }
    /// Waits up to `limit` for the process to end by itself; -2 if it has not.
    int wait_for(std::chrono::milliseconds limit) {
        auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            int status = 0;
            auto r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                if (WIFEXITED(status)) return WEXITSTATUS(status);
                if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
                return -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        }
        return -2;
    }

  private:
    pid_t pid_ = -1;
};

inline std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

inline std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

/// Polls until `pred` holds or `limit` passes.
template <class F>
bool eventually(F pred, std::chrono::milliseconds limit = std::chrono::milliseconds{20000}) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    return true;
}

/// The port a process wrote to `path` (0 until it has).
inline unsigned read_port(const std::string& path) {
    std::ifstream f(path);
    unsigned p = 0;
    f >> p;
    return f ? p : 0;
}

}  // namespace hakto::test
