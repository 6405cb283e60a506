// The draft: a cable and its context become the memo's frame (date, FOR, FROM, SUBJECT, the
// opening and closing filled from the rules' templates) and one bullet a substantive paragraph.
#include <array>

#include <fmt/format.h>

#include "protocol/cable/dtg.hpp"
#include "protocol/text/text_template.hpp"
#include "terminals/memo/memo_rewrite.hpp"
#include "terminals/memo/memo_text.hpp"
#include "terminals/memo/memo_writer.hpp"

namespace hakto::terminals {

using namespace memo_detail;

namespace {

constexpr std::array<std::string_view, 12> month_names{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool valid_date(const protocol::calendar_date& d) {
    return d.year > 0 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31;
}

std::string day_text(const protocol::calendar_date& d) {
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return {};
    return fmt::format("{} {}", month_names[static_cast<std::size_t>(d.month - 1)], d.day);
}

}  // namespace

std::string left_out_item::to_string() const {
    return fmt::format("paragraph {}{}: {}{}{}: {}", paragraph, whole_paragraph ? " (whole)" : "",
                       rule, reason.empty() ? "" : " (" + reason + ")",
                       where.empty() ? "" : " [" + where + "]", text);
}

std::string memo_date_text(const protocol::calendar_date& d) {
    if (!valid_date(d)) return {};
    return fmt::format("{}, {}", day_text(d), d.year);
}

std::string ordinal_word(int n, const memo_rules& rules) {
    if (n <= 0) return rules.frame.unknown_ordinal;
    if (static_cast<std::size_t>(n) <= rules.frame.ordinals.size())
        return rules.frame.ordinals[static_cast<std::size_t>(n - 1)];
    auto suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th"
                  : n % 10 == 1                    ? "st"
                  : n % 10 == 2                    ? "nd"
                  : n % 10 == 3                    ? "rd"
                                                   : "th";
    return fmt::format("{}{}", n, suffix);
}

memo_context default_memo_context(const protocol::cable& c, int ordinal, std::string place,
                                  char washington_zone) {
    memo_context ctx;
    ctx.ordinal = ordinal;
    ctx.place = std::move(place);
    if (c.date_time_group) {
        if (auto w = protocol::in_zone(*c.date_time_group, washington_zone))
            ctx.date = {w.value().year.value_or(0), w.value().month.value_or(0), w.value().day};
        if (auto z = protocol::in_zone(*c.date_time_group, 'Z'))
            ctx.covers = protocol::calendar_date{z.value().year.value_or(0),
                                                 z.value().month.value_or(0), z.value().day};
    }
    if (c.date_line)
        if (auto d = protocol::read_calendar_date(*c.date_line)) {
            ctx.covers = *d;
            if (!valid_date(ctx.date)) ctx.date = *d;
        }
    return ctx;
}

memo_draft draft_covering_memo(const protocol::cable& c, const memo_context& ctx,
                               const memo_rules& rules) {
    memo_draft out;
    auto& m = out.memo;
    if (valid_date(ctx.date)) {
        m.date_text = memo_date_text(ctx.date);
        m.date = fmt::format("{:04}-{:02}-{:02}", ctx.date.year, ctx.date.month, ctx.date.day);
    }
    const auto& f = rules.frame;
    if (!f.for_.empty()) m.for_ = f.for_;
    if (!f.from.empty()) m.from = f.from;

    // Every name of frame_placeholders has its value: the loader admits no other.
    std::string series = c.series ? upper(c.series->name) : std::string{};
    const protocol::template_values values{
        {"ordinal", ordinal_word(ctx.ordinal, rules)},
        {"covers", day_text(ctx.covers.value_or(ctx.date))},
        {"place", ctx.place},
        {"series", series},
        {"number",
         c.series && c.series->number ? std::to_string(*c.series->number) : std::string{}},
        {"date", m.date_text.value_or("")},
    };
    auto subject = f.subject_by_series.count(series) ? f.subject_by_series.at(series) : f.subject;
    if (!subject.empty()) m.subject = protocol::fill_template(subject, values);
    auto opening_it = f.opening_by_ordinal.find(ctx.ordinal);
    auto opening = protocol::fill_template(
        opening_it != f.opening_by_ordinal.end() ? opening_it->second : f.opening, values);
    if (!opening.empty()) {
        m.paragraphs.push_back(opening);
        m.body_order.push_back(false);
    }

    memo_rewriter e{rules};
    for (std::size_t i = 0; i < c.paragraphs.size(); ++i) {
        const auto& p = c.paragraphs[i];
        int number = p.number.value_or(static_cast<int>(i + 1));
        if (auto text = e.restate(p.text, number, &out.left_out)) {
            m.bullets.push_back({std::move(*text), {number}});
            m.body_order.push_back(true);
        }
    }
    if (auto closing = protocol::fill_template(f.closing, values); !closing.empty()) {
        m.paragraphs.push_back(closing);
        m.body_order.push_back(false);
    }
    return out;
}

protocol::memo write_covering_memo(const protocol::cable& c, const memo_context& ctx,
                                   const memo_rules& rules) {
    return draft_covering_memo(c, ctx, rules).memo;
}

std::string restate_text(std::string_view cable_text, const memo_rules& rules) {
    memo_rewriter e{rules};
    return e.restate(cable_text, 0, nullptr).value_or("");
}

}  // namespace hakto::terminals
