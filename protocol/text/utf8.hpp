#pragma once
// UTF-8, as every text step of hakto reads and writes it. Reading is total: an ill-formed
// sequence reads as one U+FFFD per maximal subpart (Unicode §3.9, "substitution of maximal
// subparts"), never as a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hakto::protocol {

namespace utf8 {

enum class read_status : std::uint8_t {
    ok,         ///< a well-formed character
    invalid,    ///< an ill-formed sequence; `value` is U+FFFD
    truncated,  ///< the bytes end inside a sequence that could still be well-formed
};

struct read_result {
    char32_t value = 0;
    std::size_t length = 0;  ///< bytes consumed; at least 1 unless the input was empty
    read_status status = read_status::ok;
};

inline constexpr char32_t replacement_character = U'\uFFFD';

/// Reads the character at the start of `bytes`. Empty input gives length 0.
read_result read(std::string_view bytes) noexcept;

/// Appends `c` as UTF-8; a surrogate or a value above U+10FFFF is written as U+FFFD.
void append(std::string& out, char32_t c);

/// `c` as UTF-8.
std::string encode(char32_t c);

/// The number of characters in `text`, each ill-formed subpart counted as one.
std::size_t length(std::string_view text) noexcept;

}  // namespace utf8

}  // namespace hakto::protocol
