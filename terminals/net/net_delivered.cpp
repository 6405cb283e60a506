#include "terminals/net/net_delivered.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "sim/clock.hpp"
#include "sim/io/file_reader.hpp"

namespace hakto::terminals {

namespace {

/// A delivered file is a few times the size of its cable; a message is at most 2^20 codes.
constexpr std::size_t max_delivered_bytes = 16u << 20;

delivered_error field_error(const std::string& path, const std::string& field,
                            const std::string& why) {
    return delivered_error{delivered_error_kind::bad_field, path,
                           fmt::format("field '{}': {}", field, why)};
}

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

std::string delivered_error::message() const {
    switch (kind) {
        case delivered_error_kind::cannot_read:
        case delivered_error_kind::cannot_write:
            return detail;  // sim::file_error's wording, which names the file
        case delivered_error_kind::not_json:
            return fmt::format("{}: not JSON: {}", path, detail);
        case delivered_error_kind::bad_field:
            return fmt::format("{}: {}", path, detail);
    }
    return path;
}

std::string delivered_file_name(const net_cable& c) {
    std::string name;
    for (char ch : c.label)
        name += ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                    ? ch
                    : '_';
    if (name.empty()) name = fmt::format("cable_{}", c.id);
    return name + ".json";
}

std::string delivered_json(const net_cable& c, protocol::code_set code, bool usos) {
    nlohmann::ordered_json j;
    j["label"] = c.label;
    j["origin"] = c.origin;
    j["addressees"] = c.addressees;
    j["precedence"] = std::string(
        1, protocol::precedence_letter(static_cast<protocol::precedence>(c.precedence)));
    j["filed"] = sim::format_sim_time(sim::sim_time{sim::sim_duration{c.filed_ns}});
    j["from"] = c.from_peer;
    j["serial"] = c.from_serial;
    std::string hex;
    hex.reserve(c.codes.size() * 2);
    for (auto k : c.codes) hex += fmt::format("{:02X}", k);
    j["codes"] = hex;
    j["text"] = protocol::from_page_copy_line_ends(
        protocol::decode(c.codes, protocol::decode_options{code, usos}));
    return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

expected<std::string, delivered_error> write_delivered(const std::string& dir, const net_cable& c,
                                                       protocol::code_set code, bool usos) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return delivered_error{delivered_error_kind::cannot_write, dir,
                               fmt::format("{}: cannot create: {}", dir, ec.message())};
    auto path = (std::filesystem::path(dir) / delivered_file_name(c)).string();
    if (auto w = sim::write_file_atomically(path, delivered_json(c, code, usos)); !w)
        return delivered_error{delivered_error_kind::cannot_write, path, w.error().message()};
    return path;
}

expected<delivered_cable, delivered_error> read_delivered(const std::string& path) {
    auto text = sim::read_file(path, max_delivered_bytes);
    if (!text)
        return delivered_error{delivered_error_kind::cannot_read, path, text.error().message()};
    auto j = nlohmann::json::parse(text.value(), nullptr, false);
    if (j.is_discarded())
        return delivered_error{delivered_error_kind::not_json, path, "unreadable"};
    if (!j.is_object())
        return delivered_error{delivered_error_kind::not_json, path, "not an object"};
    delivered_cable d;
    auto string_field = [&](const char* name, std::string& out) -> bool {
        auto it = j.find(name);
        if (it == j.end() || !it->is_string()) return false;
        out = it->get<std::string>();
        return true;
    };
    for (auto [name, out] :
         {std::pair{"label", &d.label}, std::pair{"origin", &d.origin},
          std::pair{"filed", &d.filed}, std::pair{"from", &d.from}, std::pair{"text", &d.text}})
        if (!string_field(name, *out)) return field_error(path, name, "missing, or not a string");
    auto addressees = j.find("addressees");
    if (addressees == j.end() || !addressees->is_array())
        return field_error(path, "addressees", "missing, or not a list");
    for (const auto& a : *addressees) {
        if (!a.is_string()) return field_error(path, "addressees", "not a list of strings");
        d.addressees.push_back(a.get<std::string>());
    }
    std::string precedence;
    if (!string_field("precedence", precedence) || precedence.size() != 1 ||
        !protocol::precedence_from_letter(precedence[0]))
        return field_error(path, "precedence", "not one of the letters Y, Z, O, P, R");
    d.precedence = precedence[0];
    auto serial = j.find("serial");
    if (serial == j.end() || !serial->is_number_unsigned() ||
        serial->get<std::uint64_t>() > 0xFFFFFFFFu)
        return field_error(path, "serial", "missing, or not a channel serial");
    d.serial = serial->get<std::uint32_t>();
    std::string hex;
    if (!string_field("codes", hex) || hex.size() % 2 != 0)
        return field_error(path, "codes", "missing, or not pairs of hex figures");
    d.codes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            const auto at = hi < 0 ? i : i + 1;
            return field_error(path, "codes", fmt::format("'{}' at {} is not hex", hex[at], at));
        }
        const int k = hi * 16 + lo;
        if (k > 0x1F)
            return field_error(path, "codes",
                               fmt::format("{:02X} at {} is not a 5-bit line code", k, i));
        d.codes.push_back(static_cast<protocol::code>(k));
    }
    return d;
}

}  // namespace hakto::terminals
