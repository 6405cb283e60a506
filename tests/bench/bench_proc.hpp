#pragma once
// What the benchmarks read of a running process from /proc: resident memory and open
// descriptors.
#include <sys/types.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace hakto::bench {

/// A field of /proc/PID/status in kB ("VmRSS"), or -1 when it cannot be read.
inline long status_kb(pid_t pid, const char* field) {
    std::ifstream f(fmt::format("/proc/{}/status", pid));
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(f, line))
        if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
    return -1;
}

/// The process's open descriptors, or -1 when they cannot be listed.
inline long open_fds(pid_t pid) {
    std::error_code ec;
    long n = 0;
    for (auto it = std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", pid), ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return ec ? -1 : n;
}

}  // namespace hakto::bench
