// The E-13 volume on this machine: the data directories, the lookup, and the check of a volume
// (docs/frus-import.md, "The volume on this machine").
#include "terminals/frus/frus_volume.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "protocol/cable/series_tag.hpp"
#include "protocol/text/text_util.hpp"
#include "terminals/frus/frus_tei.hpp"

namespace hakto::terminals {

namespace {

namespace fs = std::filesystem;
using namespace frus_detail;

/// The namespace every TEI P5 element is in (TEI Guidelines, "Namespace").
constexpr std::string_view tei_namespace = "http://www.tei-c.org/ns/1.0";

std::string joined(std::string_view dir, std::string_view name) {
    return (fs::path{std::string{dir}} / std::string{name}).string();
}

std::string place(std::string_view name, const line_index& index, const pugi::xml_node& n) {
    auto where = index.at(node_offset(n));
    return fmt::format("{}:{}:{}", name, where.line, where.column);
}

/// The first element below `top` (in document order) with this local name and, when `type` is
/// not empty, this @type.
pugi::xml_node find_element(const pugi::xml_node& top, std::string_view local,
                            std::string_view type = {}) {
    pugi::xml_node found;
    preorder(top, [&](const pugi::xml_node& n) {
        if (found || n.type() != pugi::node_element) return false;
        if (local_name(n) == local &&
            (type.empty() || std::string_view{find_attribute(n, "type").value()} == type)) {
            found = n;
            return false;
        }
        return true;
    });
    return found;
}

}  // namespace

std::vector<frus_data_dir> frus_data_dirs(const std::optional<std::string>& explicit_dir,
                                          const environment_lookup& env) {
    auto get = [&](const char* name) -> std::string {
        const char* v = env ? env(name) : std::getenv(name);
        return v ? std::string{v} : std::string{};
    };
    if (explicit_dir && !explicit_dir->empty()) return {{*explicit_dir, "--data-dir"}};
    if (auto dir = get("HAKTO_DATA_DIR"); !dir.empty()) return {{dir, "$HAKTO_DATA_DIR"}};
    std::vector<frus_data_dir> dirs;
    // XDG Base Directory Specification: $XDG_DATA_HOME when set to an absolute path, else
    // $HOME/.local/share; a relative value is to be ignored.
    if (auto xdg = get("XDG_DATA_HOME"); !xdg.empty() && fs::path{xdg}.is_absolute())
        dirs.push_back({joined(xdg, "hakto"), "$XDG_DATA_HOME"});
    else if (auto home = get("HOME"); !home.empty())
        dirs.push_back({joined(joined(home, ".local/share"), "hakto"), "$HOME"});
    if (std::none_of(dirs.begin(), dirs.end(),
                     [](const auto& d) { return d.path == frus_service_data_dir; }))
        dirs.push_back({std::string{frus_service_data_dir}, "service"});
    return dirs;
}

std::optional<std::string> find_frus_volume(const std::optional<std::string>& explicit_dir,
                                            const environment_lookup& env) {
    for (const auto& dir : frus_data_dirs(explicit_dir, env)) {
        auto path = joined(dir.path, frus_volume_file);
        std::error_code ec;
        if (fs::is_regular_file(path, ec)) return path;
    }
    return std::nullopt;
}

expected<frus_volume_summary, frus_error> check_frus_volume(std::string_view xml,
                                                            std::string_view file_name) {
    const std::string name{file_name.empty() ? "<input>" : file_name};
    pugi::xml_document tree;
    auto parsed =
        tree.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed || xml.find('\0') != std::string_view::npos) {
        // The importer words what is wrong with XML (empty, binary, its line and column).
        auto imported = import_frus(xml, name);
        if (!imported) return imported.error();
        return frus_error{fmt::format("{}: not well-formed XML: {}", name, parsed.description())};
    }
    const line_index index(xml);
    auto root = tree.document_element();
    if (local_name(root) != "TEI")
        return frus_error{fmt::format("{}: not a TEI document: the root element is <{}>, not <TEI>",
                                      place(name, index, root), root.name())};
    // The root's namespace: xmlns for <TEI>, xmlns:P for <P:TEI> (declared on the root, the
    // only element above which nothing can declare it).
    std::string_view root_name = root.name();
    auto colon = root_name.find(':');
    auto declaration = colon == std::string_view::npos
                           ? std::string{"xmlns"}
                           : fmt::format("xmlns:{}", root_name.substr(0, colon));
    std::string_view ns = root.attribute(declaration.c_str()).value();
    if (ns != tei_namespace)
        return frus_error{fmt::format("{}: <{}> is not in the TEI namespace {}: {}",
                                      place(name, index, root), root_name, tei_namespace,
                                      ns.empty() ? std::string{"it declares no namespace"}
                                                 : fmt::format("its namespace is {}", ns))};

    auto header = find_element(root, "teiHeader");
    if (!header)
        return frus_error{
            fmt::format("{}: <TEI> has no <teiHeader>: cannot tell which volume it is",
                        place(name, index, root))};
    // The Office of the Historian's volume id: teiHeader/fileDesc/publicationStmt/idno[@type=frus].
    auto idno = find_element(header, "idno", "frus");
    if (!idno)
        return frus_error{fmt::format(
            "{}: the teiHeader has no <idno type=\"frus\">: cannot tell which volume it is",
            place(name, index, header))};
    auto id = std::string{protocol::trim(idno.text().get())};
    if (id != frus_volume_id)
        return frus_error{fmt::format(
            "{}: this is volume '{}', not {} (FRUS 1969-1976, vol. E-13, Documents on China)",
            place(name, index, idno), id, frus_volume_id)};

    frus_volume_summary summary;
    summary.volume_id = id;
    std::vector<std::string> ids;
    preorder(root, [&](const pugi::xml_node& n) {
        if (n.type() != pugi::node_element) return false;
        if (local_name(n) == "div" &&
            std::string_view{find_attribute(n, "type").value()} == "document") {
            ids.emplace_back(find_attribute(n, "id").value());
            return false;
        }
        return true;
    });
    summary.documents = ids.size();

    // The documents as the importer reads them for replay: only what it recognises counts.
    auto imported = import_frus(xml, name);
    if (!imported && ids.empty())
        return frus_error{
            fmt::format("{}: no <div type=\"document\">: this is not the volume's "
                        "text (FRUS E-13 documents {} are needed)",
                        name, "d140, d141 and d143")};
    if (!imported) return imported.error();
    const auto& docs = imported.value();
    summary.backchannel = docs.size();
    for (auto want : frus_volume_required) {
        if (std::find(ids.begin(), ids.end(), want) == ids.end())
            return frus_error{fmt::format(
                "{}: document {} is missing (no <div type=\"document\" xml:id=\"{}\">; the file "
                "holds {} documents): not the whole volume",
                name, want, want, ids.size())};
        auto doc = std::find_if(docs.begin(), docs.end(),
                                [&](const frus_document& d) { return d.id == want; });
        if (doc == docs.end())
            return frus_error{fmt::format(
                "{}: document {} is not recognised as a backchannel message (its title names no "
                "series, no \"Backchannel Message\", and no line is a routing line)",
                name, want)};
        auto series = doc->series ? doc->series : doc->parsed.message.series;
        if (!series || series->name != "HAKTO")
            return frus_error{
                fmt::format("{}:{}:{}: document {} is not a HAKTO message: its title is \"{}\"",
                            name, doc->where.line, doc->where.column, want, doc->title)};
        summary.required.push_back(
            {std::string{want}, protocol::format_series_tag(*series), doc->title});
    }
    return summary;
}

}  // namespace hakto::terminals
