// docs/hakto.1: it renders without warnings, and it describes every subcommand and every long
// option of the binary under test (so a new subcommand or option cannot go undocumented).
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>
#include <set>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/files.hpp"

namespace {

struct process_result {
    int code = -1;
    std::string out;
};

/// Runs a shell command; standard output (and standard error with " 2>&1" in the command).
process_result shell(const std::string& command) {
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    process_result r;
    std::array<char, 4096> buf{};
    while (auto n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string man_page() {
    return hakto::test::read_file(hakto::test::source_path("docs/hakto.1"));
}

/// "--wrap" as roff writes it: "\-\-wrap".
std::string roff_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    return out;
}

/// The subcommands `hakto --help` lists, in order.
std::vector<std::string> subcommands() {
    auto help = shell(std::string{HAKTO_BINARY} + " --help");
    REQUIRE(help.code == 0);
    std::vector<std::string> names;
    auto at = help.out.find("commands:\n");
    REQUIRE(at != std::string::npos);
    std::size_t start = at + 10;
    while (start < help.out.size()) {
        auto end = help.out.find('\n', start);
        auto line = help.out.substr(start, end - start);
        start = end + 1;
        if (line.rfind("  ", 0) != 0) break;
        auto first = line.find_first_not_of(' ');
        names.push_back(line.substr(first, line.find(' ', first) - first));
    }
    return names;
}

}  // namespace

TEST_CASE("the man page renders with groff without a warning") {
    auto groff = shell("command -v groff");
    INFO("groff is installed by scripts/install-deps (Debian package groff-base)");
    REQUIRE(groff.code == 0);
    auto path = hakto::test::source_path("docs/hakto.1");
    auto r = shell(fmt::format("groff -man -Tutf8 -ww -z '{}' 2>&1", path));
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    // The text it renders holds the sections a manual page must have.
    auto text = shell(fmt::format("groff -man -Tutf8 -P-cbou '{}' 2>/dev/null", path));
    REQUIRE(text.code == 0);
    for (auto section : {"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "FILES",
                         "EXAMPLES", "SEE ALSO"}) {
        INFO(section);
        CHECK(text.out.find(std::string{"\n"} + section + "\n") != std::string::npos);
    }
}

TEST_CASE("the man page describes every subcommand of the program and nothing else") {
    auto page = man_page();
    auto names = subcommands();
    CHECK(names.size() >= 9);
    CHECK(std::find(names.begin(), names.end(), "explain") != names.end());
    for (const auto& n : names) {
        INFO("subcommand " << n << ": add a .SS \"hakto " << n << "\" section to docs/hakto.1");
        CHECK(page.find(fmt::format(".SS \"hakto {}\"", roff_escape(n))) != std::string::npos);
    }
    // No section for a subcommand the program does not have.
    std::regex section{R"re(\.SS "hakto ([a-z\\-]+)")re"};
    for (auto it = std::sregex_iterator(page.begin(), page.end(), section);
         it != std::sregex_iterator(); ++it) {
        auto name = std::regex_replace((*it)[1].str(), std::regex{R"(\\-)"}, "-");
        INFO("docs/hakto.1 describes 'hakto " << name << "', which hakto --help does not list");
        CHECK(std::find(names.begin(), names.end(), name) != names.end());
    }
}

TEST_CASE("the man page names every long option of every subcommand") {
    auto page = man_page();
    std::regex option{R"(--([a-z0-9][a-z0-9-]*))"};
    for (const auto& n : subcommands()) {
        auto help = shell(std::string{HAKTO_BINARY} + " " + n + " --help");
        REQUIRE(help.code == 0);
        std::string options;
        if (help.out.find("options:") != std::string::npos) {
            options = help.out.substr(help.out.find("options:"));
        } else {
            // A command with commands of its own (hakto audio encode|decode): their options.
            std::regex usage{fmt::format(R"(hakto {} ([a-z]+))", n)};
            std::set<std::string> subs;
            for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), usage);
                 it != std::sregex_iterator(); ++it)
                subs.insert((*it)[1].str());
            INFO("hakto " << n << " --help lists neither options nor commands");
            REQUIRE(!subs.empty());
            for (const auto& sub : subs) {
                auto sub_help = shell(std::string{HAKTO_BINARY} + " " + n + " " + sub + " --help");
                REQUIRE(sub_help.code == 0);
                REQUIRE(sub_help.out.find("options:") != std::string::npos);
                options += sub_help.out.substr(sub_help.out.find("options:"));
            }
        }
        // The man page section of this subcommand: from its .SS to the next .SS or .SH.
        auto from = page.find(fmt::format(".SS \"hakto {}\"", roff_escape(n)));
        REQUIRE(from != std::string::npos);
        auto to = std::min(page.find("\n.SS ", from + 1), page.find("\n.SH ", from + 1));
        auto section = page.substr(from, to - from);
        std::set<std::string> seen;
        for (auto it = std::sregex_iterator(options.begin(), options.end(), option);
             it != std::sregex_iterator(); ++it) {
            auto name = (*it)[1].str();
            if (!seen.insert(name).second) continue;
            INFO("hakto " << n << " --" << name << " is not in its section of docs/hakto.1");
            CHECK((name == "help" ||
                   section.find(fmt::format("\\-\\-{}", roff_escape(name))) != std::string::npos));
        }
        CHECK(seen.size() >= 2);
    }
}
