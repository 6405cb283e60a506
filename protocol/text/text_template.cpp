#include "protocol/text/text_template.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"

namespace hakto::protocol {

expected<std::vector<std::string>, template_error> check_template(
    std::string_view text, std::span<const std::string_view> known) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '}')
            return template_error{
                fmt::format("a '}}' without its '{{' at character {}", column_of(text, i))};
        if (text[i] != '{') continue;
        auto close = text.find('}', i);
        if (close == std::string_view::npos)
            return template_error{
                fmt::format("a '{{' without its '}}' at character {}", column_of(text, i))};
        auto name = text.substr(i + 1, close - i - 1);
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string list;
            for (auto k : known) list += (list.empty() ? "" : ", ") + std::string{k};
            return template_error{fmt::format("unknown placeholder {{{}}} (known: {})", name,
                                              list.empty() ? "none" : list)};
        }
        names.emplace_back(name);
        i = close;
    }
    return names;
}

std::string fill_template(std::string_view text, const template_values& values) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                auto it = values.find(text.substr(i + 1, close - i - 1));
                out += it != values.end() ? it->second : std::string{"(unknown)"};
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace hakto::protocol
