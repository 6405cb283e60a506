#pragma once
// Test helpers: reading the reference material beside the checkout, and the text of a TEI
// document as a reader sees it (one line per paragraph or list, markup dropped).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <pugixml.hpp>

namespace hakto::test {

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    REQUIRE(f.good());
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

inline std::string shared_path(const std::string& rel) {
    return std::string{HAKTO_SHARED_DIR} + "/" + rel;
}
/// The TEI file of FRUS 1969-1976 vol. E-13 document `n` in the reference material.
inline std::string frus_path(int n) {
    return shared_path("frus/frus1969-76ve13-d" + std::to_string(n) + ".xml");
}
/// True when the reference material at shared_path(rel) is there. When it is not, says so with
/// the "HAKTO-SKIP:" line that CTest reports as a skip (tests/CMakeLists.txt), and the test
/// returns at once:
///     if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
inline bool have_shared(const std::string& rel) {
    std::ifstream f(shared_path(rel), std::ios::binary);
    if (f.good()) return true;
    // Not a directory test: folders are checked by a file inside them.
    std::cout << "HAKTO-SKIP: " << shared_path(rel) << " is not there\n";
    return false;
}
/// A folder of the build for a test's files, HAKTO_BUILD_DIR/`rel`, made if need be; `fresh`:
/// emptied first.
inline std::string work_folder(const std::string& rel, bool fresh = false) {
    const auto dir = std::string{HAKTO_BUILD_DIR} + "/" + rel;
    if (fresh) std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}
inline std::string source_path(const std::string& rel) {
    return std::string{HAKTO_SOURCE_DIR} + "/" + rel;
}

inline std::string collapse_spaces(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

/// The <p> and <list> texts of the document div of a TEI file, one per line, in order.
inline std::string tei_paragraph_text(const std::string& path) {
    pugi::xml_document doc;
    REQUIRE(doc.load_file(path.c_str(), pugi::parse_default | pugi::parse_ws_pcdata));
    auto div = doc.select_node("//*[local-name()='div'][@type='document']").node();
    REQUIRE(div);
    std::string out;
    for (auto child : div.children()) {
        std::string name = child.name();
        if (name == "p" || name == "list") {
            std::string all;
            for (auto n : child.select_nodes(".//text()")) all += n.node().value();
            out += collapse_spaces(all) + "\n";
        }
    }
    return out;
}

}  // namespace hakto::test
