#pragma once
// Shared by the libFuzzer targets: a broken property is a crash, with a message saying which
// property, so the crash file libFuzzer writes is the regression input.
//
// A target defines its entry point with HAKTO_FUZZ_ENTRY(name). In a fuzz build that is
// LLVMFuzzerTestOneInput. The unit tests include a target's source with HAKTO_FUZZ_UNIT_TEST
// defined: the entry point is then `int <name>_fuzz_one(data, size)` and a broken property
// throws hakto::fuzz::property_broken, so the corpus and the regression inputs run as tests.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifdef HAKTO_FUZZ_UNIT_TEST
#define HAKTO_FUZZ_ENTRY(name) int name##_fuzz_one(const std::uint8_t* data, std::size_t size)
#else
#define HAKTO_FUZZ_ENTRY(name) \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif

namespace hakto::fuzz {

/// A property of a target that does not hold (thrown only in unit tests).
struct property_broken : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(std::string_view property, std::string_view detail = {}) {
#ifdef HAKTO_FUZZ_UNIT_TEST
    throw property_broken(std::string{property} + "\n" + std::string{detail});
#else
    std::fprintf(stderr, "\nFUZZ PROPERTY BROKEN: %.*s\n%.*s\n", static_cast<int>(property.size()),
                 property.data(), static_cast<int>(detail.size()), detail.data());
    std::abort();
#endif
}

/// HAKTO_FUZZ_CHECK(condition, property[, detail]): the detail (often a costly string) is
/// only made when the condition fails.
#define HAKTO_FUZZ_CHECK(condition, ...)                    \
    do {                                                    \
        if (!(condition)) ::hakto::fuzz::fail(__VA_ARGS__); \
    } while (false)

/// Runs `f`; an exception escaping it breaks the property "no exception escapes".
template <class F>
void no_exception(std::string_view what, F&& f) {
    try {
        f();
    } catch (const property_broken&) {
        throw;
    } catch (const std::exception& e) {
        fail(std::string{"no exception escapes "} + std::string{what}, e.what());
    } catch (...) {
        fail(std::string{"no exception escapes "} + std::string{what}, "(not a std::exception)");
    }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// The input split into lines as a reader counts them: 1-based line `n` is the bytes between
/// the (n-1)th and the nth '\n' (without trailing '\r's when `strip_cr`). Used to check that a
/// diagnostic's place lies inside the input.
struct line_table {
    explicit line_table(std::string_view text, bool strip_cr = true) {
        std::size_t start = 0;
        while (true) {
            auto end = text.find('\n', start);
            auto line = text.substr(
                start, end == std::string_view::npos ? std::string_view::npos : end - start);
            while (strip_cr && !line.empty() && line.back() == '\r') line.remove_suffix(1);
            bytes.push_back(line.size());
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
    }
    std::size_t lines() const { return bytes.size(); }
    /// True when line:column is a place in the text: a line that exists and a column at most
    /// one past its end (columns count characters, so at most one per byte).
    bool inside(std::size_t line, std::size_t column) const {
        return line >= 1 && line <= bytes.size() && column >= 1 && column <= bytes[line - 1] + 1;
    }
    std::vector<std::size_t> bytes;
};

}  // namespace hakto::fuzz
