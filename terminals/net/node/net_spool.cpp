// The spool directory of a station process (terminals/net/node/net_spool.hpp,
// docs/wire-protocol.md).
#include "terminals/net/node/net_spool.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "protocol/wire/wire_frame.hpp"
#include "sim/io/file_reader.hpp"

namespace hakto::terminals {

namespace fs = std::filesystem;

expected<std::vector<std::uint8_t>, std::string> encode_filing_text(std::string_view text,
                                                                    protocol::code_set code,
                                                                    bool usos) {
    // Lenient: a character the code has no place for prints as the operator would key it ("?").
    protocol::encode_options eo{code, usos, false};
    auto page = protocol::wrap_text(text, 69);
    auto codes = protocol::encode(protocol::to_page_copy_line_ends(page), eo);
    if (!codes) return codes.error().message();
    return std::vector<std::uint8_t>(codes.value().codes.begin(), codes.value().codes.end());
}

expected<net_cable, std::string> read_spooled_cable(std::string_view text, const std::string& name,
                                                    const std::string& stem,
                                                    protocol::code_set code, bool usos) {
    auto doc = protocol::parse_document(text);
    for (const auto& d : doc.notes_for_reader)
        if (d.level == protocol::severity::error) return protocol::format_diagnostic(name, d);
    const auto& m = doc.message;
    if (!m.routing || m.routing->called.empty())
        return fmt::format(
            "{}: no routing line (such as 'WTE DE WTE10'): the addressee is not known", name);
    net_cable c;
    c.addressees = {m.routing->called};
    // No precedence prosign: ROUTINE, as the relays handled HAKTO 7 (ACP 127: R is the lowest).
    c.precedence = static_cast<std::uint8_t>(m.prec.value_or(protocol::precedence::routine));
    std::optional<protocol::series_tag> tag = m.series;
    if ((!tag || !tag->number) && doc.title && doc.title->series) tag = doc.title->series;
    c.label = tag && tag->number ? protocol::format_series_tag(*tag) : stem;
    if (c.label.empty() || c.label.size() > protocol::wire::max_label)
        return fmt::format("{}: label '{}': 1 to {} characters", name, c.label,
                           protocol::wire::max_label);
    auto codes = encode_filing_text(text, code, usos);
    if (!codes) return fmt::format("{}: {}", name, codes.error());
    c.codes = std::move(codes.value());
    c.filed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    return c;
}

expected<std::shared_ptr<net_spool>, std::string> net_spool::open(
    sim::timer_service& timers, net_node& node, spool_options options,
    std::function<void(const std::string&)> log) {
    std::error_code ec;
    for (const auto& d : {fs::path(options.dir), fs::path(options.dir) / "filed",
                          fs::path(options.dir) / "rejected"}) {
        fs::create_directories(d, ec);
        if (ec) return fmt::format("--spool {}: {}", d.string(), ec.message());
    }
    return std::make_shared<net_spool>(timers, node, std::move(options), std::move(log));
}

void net_spool::start() {
    stopped_ = false;
    poll();
}

void net_spool::stop() {
    stopped_ = true;
    timer_.cancel();
}

void net_spool::poll() {
    if (stopped_) return;
    std::vector<std::string> names;
    std::error_code ec;
    for (auto it = fs::directory_iterator(options_.dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::error_code sec;
        if (!it->is_regular_file(sec) || it->path().extension() != ".txt") continue;
        auto n = it->path().filename().string();
        if (!in_hand_.count(n)) names.push_back(std::move(n));
    }
    if (ec) log_(fmt::format("spool {}: {}", options_.dir, ec.message()));
    std::sort(names.begin(), names.end());
    if (names.size() > options_.max_files) names.resize(options_.max_files);
    for (const auto& n : names) take(n);
    timer_.set_after(options_.interval, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->poll();
    });
}

void net_spool::take(const std::string& name) {
    const auto path = fs::path(options_.dir) / name;
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) return;  // gone meanwhile
    if (size > options_.max_file_bytes)
        return move_to(
            name, "rejected",
            fmt::format("{}: {} bytes, more than {}", name, size, options_.max_file_bytes));
    auto text = sim::read_file(path.string(), options_.max_file_bytes);
    if (!text) return move_to(name, "rejected", text.error().message());
    auto cable =
        read_spooled_cable(text.value(), name, path.stem().string(), options_.code, options_.usos);
    if (!cable) return move_to(name, "rejected", cable.error());
    if (node_.store().filed_here(cable.value().label)) {
        log_(fmt::format("spool: {}: {} was filed before", name, cable.value().label));
        return move_to(name, "filed");
    }
    auto label = cable.value().label;
    in_hand_.insert(name);
    auto r = node_.file(std::move(cable.value()), [weak = weak_from_this(), name,
                                                   label](expected<bool, node_error> done) {
        auto self = weak.lock();
        if (!self) return;
        self->in_hand_.erase(name);
        if (!done) return;  // the node stops: the file stays for a restart
        if (!done.value())
            self->log_(fmt::format("spool: {}: {} was filed before", name, label));
        else
            ++self->filed_;
        self->move_to(name, "filed");
    });
    if (!r) {
        in_hand_.erase(name);
        move_to(name, "rejected", fmt::format("{}: {}", name, r.error().message));
    }
}

void net_spool::move_to(const std::string& name, const char* sub, const std::string& reason) {
    const auto from = fs::path(options_.dir) / name;
    const auto to_dir = fs::path(options_.dir) / sub;
    std::error_code ec;
    if (!reason.empty()) {
        ++rejected_;
        log_(fmt::format("spool: rejected {}", reason));
        // The reason beside the file, written first: the file in rejected/ always has it.
        if (auto w =
                sim::write_file_atomically((to_dir / (name + ".reason")).string(), reason + "\n");
            !w)
            log_(fmt::format("spool: {}", w.error().message()));
    }
    fs::rename(from, to_dir / name, ec);
    if (ec)
        log_(fmt::format("spool: cannot move {} to {}: {}", name, to_dir.string(), ec.message()));
}

}  // namespace hakto::terminals
