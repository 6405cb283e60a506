#include "terminals/cli/cli_options.hpp"

#include <charconv>

#include <fmt/format.h>

namespace hakto::terminals {

namespace po = boost::program_options;

expected<sim::pacing, std::string> speed_option(const po::variables_map& vm,
                                                std::string_view option) {
    auto p = sim::read_speed(vm[std::string{option}].as<std::string>());
    if (!p) return fmt::format("--{} {}", option, p.error().message());
    return p.value();
}

expected<host_port, std::string> read_host_port(std::string_view text) {
    host_port a{"127.0.0.1", 0};
    std::string_view port_text = text;
    if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
        std::string_view host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        if (!host.empty()) a.host = std::string{host};
    }
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
        port > 65535)
        return fmt::format("'{}' is not HOST:PORT (a port from 0 to 65535)", text.substr(0, 64));
    a.port = static_cast<std::uint16_t>(port);
    return a;
}

void add_code_option(po::options_description& options, const char* help) {
    options.add_options()("code", po::value<std::string>()->default_value("ustty"), help);
}

expected<protocol::code_set, std::string> code_option(const po::variables_map& vm) {
    const auto& name = vm["code"].as<std::string>();
    if (auto set = protocol::read_code_set(name)) return *set;
    return fmt::format("--code must be ustty or ita2, not '{}'", name.substr(0, 32));
}

}  // namespace hakto::terminals
