// The render: a memo in the period layout, a generated memo beside the historical one, and the
// left-out list, as text.
#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"
#include "terminals/memo/memo_writer.hpp"

namespace hakto::terminals {

namespace {

/// `text` wrapped at `width`, the first line after `first`, the others after `rest`.
std::string hanging(std::string_view first, std::string_view rest, std::string_view text,
                    std::size_t width) {
    auto indent = protocol::utf8_length(rest);
    auto lines = protocol::wrap_words(text, width > indent + 20 ? width - indent : 20);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += std::string{i == 0 ? first : rest} + lines[i] + "\n";
    return out;
}

std::string pad(std::string s, std::size_t width) {
    auto len = protocol::utf8_length(s);
    if (len < width) s.append(width - len, ' ');
    return s;
}

constexpr std::string_view dash = "\xE2\x80\x94 ";  // "— "

struct body_item {
    bool bullet = false;
    const std::string* text = nullptr;
    const std::vector<int>* sources = nullptr;
};

/// The memo's body items in order (body_order where it fits, else paragraph, bullets, rest).
std::vector<body_item> body_of(const protocol::memo& m) {
    std::vector<body_item> out;
    std::size_t b = 0, p = 0;
    for (bool is_bullet : m.body_order) {
        if (is_bullet && b < m.bullets.size()) {
            out.push_back({true, &m.bullets[b].text, &m.bullets[b].source_paragraphs});
            ++b;
        } else if (!is_bullet && p < m.paragraphs.size()) {
            out.push_back({false, &m.paragraphs[p++], nullptr});
        }
    }
    if (out.empty() && p < m.paragraphs.size()) out.push_back({false, &m.paragraphs[p++], nullptr});
    for (; b < m.bullets.size(); ++b)
        out.push_back({true, &m.bullets[b].text, &m.bullets[b].source_paragraphs});
    for (; p < m.paragraphs.size(); ++p) out.push_back({false, &m.paragraphs[p], nullptr});
    return out;
}

std::set<std::string> content_words(std::string_view text) {
    static const std::set<std::string, std::less<>> common{
        "that", "this",  "with", "which", "their", "they",  "them",      "have", "been", "were",
        "from", "there", "also", "about", "would", "could", "what",      "when", "into", "over",
        "some", "only",  "than", "then",  "again", "chou",  "kissinger", "henry"};
    std::set<std::string> out;
    std::string w;
    auto flush = [&] {
        if (w.size() >= 2 && w.substr(w.size() - 2) == "'s") w.resize(w.size() - 2);
        if (w.size() >= 4 && !common.count(w)) out.insert(w);
        w.clear();
    };
    for (char c : text) {
        if ((c >= 'a' && c <= 'z') || c == '\'')
            w += c;
        else if (c >= 'A' && c <= 'Z')
            w += static_cast<char>(c - 'A' + 'a');
        else
            flush();
    }
    flush();
    return out;
}

std::string paragraphs_label(const std::vector<int>& sources) {
    if (sources.empty()) return "Bullet";
    std::string list;
    for (int s : sources) list += (list.empty() ? "" : ", ") + std::to_string(s);
    return fmt::format("Cable paragraph{} {}", sources.size() > 1 ? "s" : "", list);
}

struct comparison_row {
    std::string label;
    std::vector<std::string> left, right;
};

}  // namespace

std::string render_memo(const protocol::memo& m, std::size_t width) {
    width = std::max<std::size_t>(width, 40);
    std::string out;
    if (m.date_text) {
        auto len = protocol::utf8_length(*m.date_text);
        out += std::string(width > len ? width - len : 0, ' ') + *m.date_text + "\n\n";
    }
    constexpr std::size_t label = 17;
    auto field = [&](std::string_view name, const std::optional<std::string>& value) {
        if (!value) return;
        out += hanging(pad(std::string{name}, label), std::string(label, ' '), *value, width);
        out += "\n";
    };
    field("MEMORANDUM FOR:", m.for_);
    field("FROM:", m.from);
    field("SUBJECT:", m.subject);
    for (const auto& item : body_of(m)) {
        if (item.bullet)
            out += hanging(dash, "  ", *item.text, width);
        else
            out += hanging("", "", *item.text, width);
        out += "\n";
    }
    while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
        out.pop_back();
    return out;
}

std::string render_memo_comparison(const protocol::memo& generated,
                                   const protocol::memo& historical, std::size_t width) {
    width = std::max<std::size_t>(width, 40);
    std::vector<comparison_row> rows;
    auto opt = [](const std::optional<std::string>& s) {
        return s ? std::vector<std::string>{*s} : std::vector<std::string>{};
    };
    rows.push_back({"Date", opt(generated.date_text), opt(historical.date_text)});
    rows.push_back({"MEMORANDUM FOR", opt(generated.for_), opt(historical.for_)});
    rows.push_back({"FROM", opt(generated.from), opt(historical.from)});
    rows.push_back({"SUBJECT", opt(generated.subject), opt(historical.subject)});

    auto gen = body_of(generated);
    auto hist = body_of(historical);
    auto text_of = [](const body_item& b) {
        return b.bullet ? std::string{dash} + *b.text : *b.text;
    };
    std::size_t g0 = 0, h0 = 0;
    if (!gen.empty() && !gen[0].bullet) g0 = 1;
    if (!hist.empty() && !hist[0].bullet) h0 = 1;
    if (g0 || h0)
        rows.push_back({"Opening", g0 ? std::vector{*gen[0].text} : std::vector<std::string>{},
                        h0 ? std::vector{*hist[0].text} : std::vector<std::string>{}});

    // Each historical item goes with the generated item that restates the same cable paragraph,
    // or else the one whose words it shares most.
    std::vector<std::set<std::string>> gen_words;
    for (std::size_t i = g0; i < gen.size(); ++i) gen_words.push_back(content_words(*gen[i].text));
    std::vector<std::vector<std::string>> paired(gen.size() - g0);
    std::vector<std::string> unpaired;
    for (std::size_t j = h0; j < hist.size(); ++j) {
        std::optional<std::size_t> best;
        if (hist[j].sources && !hist[j].sources->empty()) {
            for (std::size_t i = g0; i < gen.size() && !best; ++i)
                if (gen[i].sources)
                    for (int s : *hist[j].sources)
                        if (std::find(gen[i].sources->begin(), gen[i].sources->end(), s) !=
                            gen[i].sources->end())
                            best = i - g0;
        }
        if (!best) {
            auto words = content_words(*hist[j].text);
            double best_score = 0.0;
            for (std::size_t i = 0; i < gen_words.size(); ++i) {
                std::size_t common = 0;
                for (const auto& w : words) common += gen_words[i].count(w);
                double score =
                    words.empty() ? 0.0
                                  : static_cast<double>(common) / static_cast<double>(words.size());
                if (score > best_score) {
                    best_score = score;
                    best = i;
                }
            }
            if (best_score < 0.2) best.reset();
        }
        if (best)
            paired[*best].push_back(text_of(hist[j]));
        else
            unpaired.push_back(text_of(hist[j]));
    }
    for (std::size_t i = g0; i < gen.size(); ++i) {
        auto label = gen[i].bullet ? paragraphs_label(*gen[i].sources) : std::string{"Closing"};
        rows.push_back({label, {text_of(gen[i])}, paired[i - g0]});
    }
    if (!unpaired.empty()) rows.push_back({"Not paired", {}, unpaired});

    std::string out;
    const bool side_by_side = width >= 100;
    if (side_by_side) {
        std::size_t col = (width - 3) / 2;
        out += pad("GENERATED", col) + " | HISTORICAL\n";
        out += std::string(width, '=') + "\n";
        for (const auto& row : rows) {
            out +=
                row.label + " " +
                std::string(width > row.label.size() + 1 ? width - row.label.size() - 1 : 0, '-') +
                "\n";
            auto lines_of = [&](const std::vector<std::string>& items) {
                std::vector<std::string> lines;
                for (std::size_t k = 0; k < items.size(); ++k) {
                    if (k) lines.emplace_back();
                    bool bullet = items[k].rfind(dash, 0) == 0;
                    auto body = bullet ? std::string_view{items[k]}.substr(dash.size())
                                       : std::string_view{items[k]};
                    auto wrapped = protocol::wrap_words(body, bullet ? col - 2 : col);
                    for (std::size_t l = 0; l < wrapped.size(); ++l)
                        lines.push_back(bullet ? std::string{l == 0 ? dash : "  "} + wrapped[l]
                                               : wrapped[l]);
                }
                if (lines.empty()) lines.emplace_back("(none)");
                return lines;
            };
            auto l = lines_of(row.left);
            auto r = lines_of(row.right);
            for (std::size_t k = 0; k < std::max(l.size(), r.size()); ++k) {
                auto left = k < l.size() ? l[k] : std::string{};
                auto right = k < r.size() ? r[k] : std::string{};
                auto line = pad(left, col) + " | " + right;
                while (!line.empty() && line.back() == ' ') line.pop_back();
                out += line + "\n";
            }
        }
    } else {
        out += "Generated memo and historical memo, paired by cable paragraph\n";
        out += std::string(width, '=') + "\n";
        constexpr std::size_t indent = 14;
        for (const auto& row : rows) {
            out += row.label + "\n";
            auto side = [&](std::string_view name, const std::vector<std::string>& items) {
                if (items.empty()) {
                    out += pad("  " + std::string{name}, indent) + "(none)\n";
                    return;
                }
                for (std::size_t k = 0; k < items.size(); ++k)
                    out += hanging(
                        k == 0 ? pad("  " + std::string{name}, indent) : std::string(indent, ' '),
                        std::string(indent, ' '), items[k], width);
            };
            side("generated", row.left);
            side("historical", row.right);
        }
    }
    return out;
}

std::string render_left_out(const std::vector<left_out_item>& items, std::size_t width) {
    std::string out;
    for (const auto& i : items) {
        auto head = fmt::format("Paragraph {}{}: left out by rule \"{}\"{}{}", i.paragraph,
                                i.whole_paragraph ? " (whole)" : "", i.rule,
                                i.where.empty() ? "" : " at ", i.where);
        out += hanging("", "    ", head, width);
        if (!i.reason.empty()) out += hanging("    why: ", "         ", i.reason, width);
        out += hanging("    text: \"", "          ", i.text + "\"", width);
    }
    return out;
}

}  // namespace hakto::terminals
