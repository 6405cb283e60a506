#include "terminals/exhibit/exhibit_files.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/io/embedded.hpp"
#include "sim/io/file_reader.hpp"
#include "terminals/explain/explain.hpp"

namespace hakto::terminals {

namespace detail {
extern const hakto::embedded_file exhibit_web_files[];
extern const std::size_t exhibit_web_files_count;
}  // namespace detail

namespace exhibit {

std::string_view content_type(std::string_view name) {
    auto ends = [&](std::string_view x) {
        return name.size() >= x.size() && name.substr(name.size() - x.size()) == x;
    };
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".json")) return "application/json";
    return "text/plain; charset=utf-8";
}

bool safe_name(std::string_view n) {
    if (n.empty() || n.size() > 64 || n.front() == '.') return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '_';
    });
}

page_files::page_files(std::optional<std::string> web_root)
    : web_root_(std::move(web_root)), explain_json_(explain_table_json().dump()) {}

std::optional<page_file> page_files::find(std::string_view target) const {
    auto q = target.find_first_of("?#");
    if (q != std::string_view::npos) target = target.substr(0, q);
    if (target == "/" || target.empty()) target = "/index.html";
    if (target.front() != '/') return std::nullopt;
    auto name = target.substr(1);
    if (!safe_name(name)) return std::nullopt;
    if (web_root_) {
        auto path = std::filesystem::path(*web_root_) / std::string{name};
        auto text = sim::read_file(path.string());
        if (!text) return std::nullopt;
        return page_file{std::move(text.value()), content_type(name)};
    }
    if (name == "explain.json") return page_file{explain_json_, content_type(name)};
    for (std::size_t i = 0; i < detail::exhibit_web_files_count; ++i)
        if (detail::exhibit_web_files[i].name == name)
            return page_file{std::string{detail::exhibit_web_files[i].text}, content_type(name)};
    return std::nullopt;
}

}  // namespace exhibit
}  // namespace hakto::terminals
