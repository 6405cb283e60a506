#pragma once
// The inputs of a fuzz target, for the unit tests: the committed seed corpus
// (tests/fuzz/corpus/<target>/) and the regression inputs, each a crash the fuzzer once found
// (tests/fuzz/regressions/<target>/). The tests run each through the target's own property
// checks (the target's source is included with HAKTO_FUZZ_UNIT_TEST defined).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hakto::test {

struct fuzz_input {
    std::string path;
    std::string bytes;
};

/// The files of tests/fuzz/<kind>/<target>/, sorted by name; none if the folder is absent.
inline std::vector<fuzz_input> fuzz_inputs(const std::string& kind, const std::string& target) {
    std::vector<fuzz_input> out;
    std::filesystem::path dir =
        std::filesystem::path{HAKTO_SOURCE_DIR} / "tests/fuzz" / kind / target;
    if (!std::filesystem::is_directory(dir)) return out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream f(entry.path(), std::ios::binary);
        std::ostringstream s;
        s << f.rdbuf();
        out.push_back({entry.path().string(), s.str()});
    }
    std::sort(out.begin(), out.end(),
              [](const fuzz_input& a, const fuzz_input& b) { return a.path < b.path; });
    return out;
}

inline const std::uint8_t* fuzz_data(const fuzz_input& in) {
    return reinterpret_cast<const std::uint8_t*>(in.bytes.data());
}

}  // namespace hakto::test
