#pragma once
// Scratch folders for the network tests: on tmpfs when there is one (these tests are about the
// protocol, not the disk), one root a test process, removed when the process ends.
#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace hakto::test {

class net_temp_root {
  public:
    static const std::filesystem::path& path() {
        static net_temp_root root;
        return root.path_;
    }
    net_temp_root(const net_temp_root&) = delete;
    net_temp_root& operator=(const net_temp_root&) = delete;
    ~net_temp_root() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }

  private:
    net_temp_root() {
        auto base = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                        : std::filesystem::path(HAKTO_BUILD_DIR);
        path_ = base / ("hakto-test-net-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path_);
    }
    std::filesystem::path path_;
};

/// A new, empty folder under the root.
inline std::string net_temp_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    auto dir = net_temp_root::path() / (name + "-" + std::to_string(++counter));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace hakto::test
