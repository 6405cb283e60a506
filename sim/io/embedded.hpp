#pragma once
// Text files compiled into the program (cmake/HaktoEmbed.cmake): scenarios, bundled documents.
#include <cstddef>
#include <string_view>

namespace hakto {

struct embedded_file {
    std::string_view name;  ///< the file name, e.g. "june1972.toml"
    std::string_view text;
};

}  // namespace hakto
