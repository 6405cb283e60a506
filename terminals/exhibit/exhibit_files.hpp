#pragma once
// The page's files as the HTTP sessions serve them: compiled in (terminals/exhibit/web/), or
// read from --web-root for development, and explain.json, the explanations' table that
// `hakto explain` uses. A request names one file: no folders, no dot files.
#include <optional>
#include <string>
#include <string_view>

namespace hakto::terminals::exhibit {

struct page_file {
    std::string body;
    std::string_view content_type;
};

/// The Content-Type of a file by its name's ending (text/plain when unknown).
std::string_view content_type(std::string_view name);
/// A single file name: letters, digits, '.', '-', '_', not starting with '.', at most 64.
bool safe_name(std::string_view name);

class page_files {
  public:
    /// With `web_root`, files are read from that folder at each request; without, from memory.
    explicit page_files(std::optional<std::string> web_root);

    /// The file a request target names ("/" is /index.html; a query or fragment is ignored).
    std::optional<page_file> find(std::string_view target) const;

  private:
    std::optional<std::string> web_root_;
    std::string explain_json_;
};

}  // namespace hakto::terminals::exhibit
