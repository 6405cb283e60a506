#pragma once
// Test helper: every field of two cables compared, the differences named ("to[1].serial: 4733
// vs none"), so a round-trip test says what it lost. Layout and input positions are not fields.
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "protocol/cable/cable.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/series_tag.hpp"

namespace hakto::test {

/// The first note for the reader with this diagnostic code, or null.
inline const protocol::diagnostic* find_code(const protocol::document& d, std::string_view code) {
    for (const auto& x : d.notes_for_reader)
        if (x.code == code) return &x;
    return nullptr;
}

namespace detail {

inline std::string show(const std::string& s) {
    return "'" + s + "'";
}
inline std::string show(int v) {
    return std::to_string(v);
}
inline std::string show(bool v) {
    return v ? "true" : "false";
}
inline std::string show(protocol::precedence p) {
    return std::string(1, protocol::precedence_letter(p));
}
inline std::string show(const protocol::series_tag& t) {
    return protocol::format_series_tag(t);
}
inline std::string show(const protocol::dtg& d) {
    return fmt::format("{:02}{:02}{:02}{} {}/{}", d.day, d.hour, d.minute, d.zone,
                       d.month ? *d.month : 0, d.year ? *d.year : 0);
}
template <class T>
std::string show(const std::optional<T>& v) {
    return v ? show(*v) : std::string{"none"};
}

struct differ {
    std::vector<std::string> out;
    template <class T>
    void operator()(const std::string& name, const T& a, const T& b) {
        if (!(a == b)) out.push_back(fmt::format("{}: {} vs {}", name, show(a), show(b)));
    }
    void list(const std::string& name, const std::vector<std::string>& a,
              const std::vector<std::string>& b) {
        if (a.size() != b.size())
            out.push_back(fmt::format("{}: {} vs {} items", name, a.size(), b.size()));
        for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
            (*this)(fmt::format("{}[{}]", name, i), a[i], b[i]);
    }
    void addressees(const std::string& name, const std::vector<protocol::addressee>& a,
                    const std::vector<protocol::addressee>& b) {
        if (a.size() != b.size())
            out.push_back(fmt::format("{}: {} vs {} addressees", name, a.size(), b.size()));
        for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
            auto n = fmt::format("{}[{}]", name, i);
            (*this)(n + ".address", a[i].address, b[i].address);
            (*this)(n + ".precedence", a[i].prec, b[i].prec);
            (*this)(n + ".niact", a[i].niact, b[i].niact);
            (*this)(n + ".serial", a[i].serial, b[i].serial);
        }
    }
};

}  // namespace detail

/// The fields in which two cables differ; empty when they hold the same.
inline std::vector<std::string> field_differences(const protocol::cable& a,
                                                  const protocol::cable& b) {
    detail::differ d;
    d("form", std::string{protocol::to_string(a.form)}, std::string{protocol::to_string(b.form)});
    d("routing", a.routing.has_value(), b.routing.has_value());
    if (a.routing && b.routing) {
        d("routing.called", a.routing->called, b.routing->called);
        d("routing.calling", a.routing->calling, b.routing->calling);
        d("routing.channel", a.routing->channel, b.routing->channel);
    }
    d("precedence", a.prec, b.prec);
    d("info_precedence", a.info_prec, b.info_prec);
    d("precedence_words", a.precedence_words, b.precedence_words);
    d("dtg", a.date_time_group, b.date_time_group);
    d.list("operating_signals", a.operating_signals, b.operating_signals);
    d("date_line", a.date_line, b.date_line);
    d("from", a.from, b.from);
    d.addressees("to", a.to, b.to);
    d.addressees("info", a.info, b.info);
    d("classification", a.classification, b.classification);
    d("classification_as_written", a.classification_as_written, b.classification_as_written);
    d("telegram", a.telegram.has_value(), b.telegram.has_value());
    if (a.telegram && b.telegram) {
        d("telegram.post", a.telegram->post, b.telegram->post);
        d("telegram.number", a.telegram->number, b.telegram->number);
    }
    d("section", a.section, b.section);
    d("series", a.series, b.series);
    d.list("handling", a.handling, b.handling);
    d.list("instructions", a.instructions, b.instructions);
    d("repeat_notice", a.repeat_notice, b.repeat_notice);
    d("eo", a.eo.has_value(), b.eo.has_value());
    if (a.eo && b.eo) {
        d("eo.order", a.eo->order, b.eo->order);
        d("eo.category", a.eo->category, b.eo->category);
    }
    d.list("tags", a.tags, b.tags);
    d("subject", a.subject, b.subject);
    d.list("references", a.references, b.references);
    d("via", a.via, b.via);
    d("message_number", a.message_number, b.message_number);
    if (a.paragraphs.size() != b.paragraphs.size())
        d.out.push_back(
            fmt::format("paragraphs: {} vs {}", a.paragraphs.size(), b.paragraphs.size()));
    for (std::size_t i = 0; i < std::min(a.paragraphs.size(), b.paragraphs.size()); ++i) {
        d(fmt::format("paragraphs[{}].number", i), a.paragraphs[i].number, b.paragraphs[i].number);
        d(fmt::format("paragraphs[{}].text", i), a.paragraphs[i].text, b.paragraphs[i].text);
    }
    d("signoff", a.signoff, b.signoff);
    d("signature", a.signature, b.signature);
    d("archive", a.archive == b.archive, true);
    d("envelope", a.envelope == b.envelope, true);
    return d.out;
}

}  // namespace hakto::test
