#include "terminals/exhibit/exhibit_run_record.hpp"

namespace hakto::terminals::exhibit {

void run_record::clear() {
    progress_.clear();
    walkthroughs_.clear();
    history_.clear();
    tape_.clear();
    strips_.clear();
    stage_ = "waiting";
    current_cable_.clear();
}

void run_record::begin(const std::vector<replay_cable>& cables, protocol::decode_options decode) {
    decode_ = decode;
    for (const auto& c : cables) add_cable(c);
}

void run_record::add_cable(const replay_cable& c) {
    progress_.emplace(c.spec.id, cable_progress{{}, 0, false, protocol::teletype_decoder{decode_}});
}

json run_record::take(const replay_event& e, const std::vector<replay_cable>& cables) {
    json j = event_json(e);
    auto found = progress_.find(e.cable);
    auto* p = found != progress_.end() ? &found->second : nullptr;
    switch (e.kind) {
        case replay_event_kind::punched: {
            if (e.index == 0) punch_decoder_ = protocol::teletype_decoder{decode_};
            j["glyph"] = glyph(punch_decoder_.feed(e.sent));
            if (p) p->punched = e.index + 1;
            tape_.push_back(json{{"code", j["code"]}, {"glyph", j["glyph"]}});
            while (tape_.size() > max_tape) tape_.pop_front();
            break;
        }
        case replay_event_kind::line: {
            // The key-tape and cipher strips a screen draws: each code as sent and on the line.
            if (j.contains("code") && j.contains("on_line") && !j["on_line"].is_null()) {
                strips_.push_back(
                    json{{"index", e.index}, {"code", j["code"]}, {"on_line", j["on_line"]}});
                while (strips_.size() > max_strips) strips_.pop_front();
            }
            break;
        }
        case replay_event_kind::printed: {
            if (p) {
                auto g = glyph(p->printer.feed(e.delivered));
                if (g != "\a") p->printed += g;
                j["glyph"] = g;
            }
            break;
        }
        default:
            break;
    }
    if (e.kind == replay_event_kind::stage || e.kind == replay_event_kind::interrupted) {
        stage_ = std::string{to_string(e.stage)};
        current_cable_ = e.cable;
        if (p) p->started = true;
    }
    if (e.kind == replay_event_kind::stage && e.stage == replay_stage::drafting && p) {
        // The cable's text is on the operator's desk: screens may show it now.
        for (const auto& c : cables)
            if (c.spec.id == e.cable) {
                j["page_copy"] = c.page_copy;
                if (!c.caption.empty()) j["caption"] = c.caption;
                auto [w, fresh] = walkthroughs_.try_emplace(c.spec.id);
                if (fresh) w->second = walkthrough_json(c);
                j["explain"] = w->second;
            }
    }
    if (e.kind != replay_event_kind::punched && e.kind != replay_event_kind::line &&
        e.kind != replay_event_kind::printed) {
        history_.push_back(j);
        while (history_.size() > max_history) history_.pop_front();
    }
    return j;
}

json run_record::cable(const replay_cable& c) const {
    auto p = progress_.find(c.spec.id);
    auto w = walkthroughs_.find(c.spec.id);
    return cable_json(c, p != progress_.end() ? &p->second : nullptr,
                      w != walkthroughs_.end() ? &w->second : nullptr);
}

json run_record::cables(const std::vector<replay_cable>& all) const {
    json out = json::array();
    for (const auto& c : all) out.push_back(cable(c));
    return out;
}

}  // namespace hakto::terminals::exhibit
