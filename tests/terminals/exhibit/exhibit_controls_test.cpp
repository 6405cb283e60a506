// The exhibit's controls read and checked on their own: what a screen may send, the operator's
// rules (the token, or this machine only), and the visitor's reply as the next TOHAK.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario.hpp"
#include "terminals/exhibit/exhibit_controls.hpp"
#include "terminals/exhibit/exhibit_reply.hpp"

namespace exhibit = hakto::terminals::exhibit;
using exhibit::control_error;
using exhibit::control_kind;
using json = nlohmann::json;
using kind = control_error::kind_t;

TEST_CASE("exhibit controls: a control is a JSON object with a type", "[exhibit]") {
    CHECK(exhibit::read_control("nonsense").error().kind == kind::not_a_control);
    CHECK(exhibit::read_control("[1,2]").error().kind == kind::not_a_control);
    CHECK(exhibit::read_control(R"({"type":3})").error().kind == kind::not_a_control);
    auto pause = exhibit::read_control(R"({"type":"pause"})");
    REQUIRE(pause);
    CHECK(pause.value().kind == control_kind::pause);
    auto odd = exhibit::read_control(R"({"type":"dance"})");
    REQUIRE(odd);
    CHECK(odd.value().kind == control_kind::unknown);
    CHECK(exhibit::unknown_control(odd.value()).message() == "unknown control 'dance'");

    CHECK(hakto::sim::speed_name(exhibit::read_speed_control(json{{"value", "20x"}}).value()) ==
          "20x");
    CHECK(exhibit::read_speed_control(json::object()).error().kind == kind::bad_field);
    CHECK(exhibit::read_noise_control(json{{"on", true}}).value());
    CHECK(!exhibit::read_noise_control(json{{"on", 1}}));
    auto reply = exhibit::read_reply_control(json{{"text", "x"}});
    REQUIRE(reply);
    CHECK(reply.value().prec == hakto::protocol::precedence::immediate);
    CHECK(
        exhibit::read_reply_control(json{{"text", "x"}, {"precedence", "ZZ"}}).error().message() ==
        "precedence is one letter: Z, O, P or R");
}

TEST_CASE("exhibit controls: the operator's token, or this machine only", "[exhibit]") {
    auto june = hakto::sim::load_named_scenario("june1972");
    REQUIRE(june);
    exhibit::offered_scenarios offered{{"june1972", june.value()}};
    exhibit::operator_rules rules;
    rules.offered = &offered;
    rules.scenario = &offered[0].second;
    rules.speed = hakto::sim::pacing::scaled(20);
    rules.idle_reset = std::chrono::seconds{120};
    std::optional<std::string> no_token;
    rules.token = &no_token;

    auto fields = json{{"type", "operator"}, {"noise", true}};
    CHECK(exhibit::read_operator_control(fields, rules, false).error().kind == kind::not_permitted);
    auto here = exhibit::read_operator_control(fields, rules, true);
    REQUIRE(here);
    CHECK(here.value().noise);
    CHECK(hakto::sim::speed_name(here.value().speed) == "20x");  // left as it was
    CHECK(here.value().idle_reset == std::chrono::seconds{120});
    CHECK(here.value().scenario == &offered[0].second);

    std::optional<std::string> token{"correct horse battery"};
    rules.token = &token;
    CHECK(!exhibit::read_operator_control(fields, rules, true));  // loopback is not enough
    fields["token"] = "correct horse battery";
    CHECK(exhibit::read_operator_control(fields, rules, false));

    CHECK(exhibit::same_token("abc", "abc"));
    CHECK(!exhibit::same_token("abd", "abc"));
    CHECK(!exhibit::same_token("ab", "abc"));
    CHECK(!exhibit::same_token("abcd", "abc"));
}

TEST_CASE("exhibit controls: the operator's fields are checked", "[exhibit]") {
    auto june = hakto::sim::load_named_scenario("june1972");
    REQUIRE(june);
    exhibit::offered_scenarios offered{{"june1972", june.value()}};
    exhibit::operator_rules rules;
    rules.offered = &offered;
    rules.scenario = &offered[0].second;
    auto check = [&](json fields) { return exhibit::read_operator_control(fields, rules, true); };
    CHECK(check({{"scenario", "/etc/passwd"}}).error().message() ==
          "no scenario '/etc/passwd' here");
    CHECK(check({{"cables", "HAKTO 12"}}).error().kind == kind::bad_field);
    CHECK(check({{"cables", {"HAKTO 99"}}}).error().message() ==
          "scenario 'june1972' has no cable 'HAKTO 99'");
    CHECK(!check({{"speed", "slow"}}));
    CHECK(!check({{"noise", "on"}}));
    CHECK(!check({{"idle_reset", 86401}}));
    CHECK(!check({{"idle_reset", 1.5}}));
    auto ok = check({{"cables", {"HAKTO 7"}}, {"speed", "max"}, {"idle_reset", 0}});
    REQUIRE(ok);
    CHECK(ok.value().cables == std::vector<std::string>{"HAKTO 7"});
    CHECK(ok.value().speed == hakto::sim::pacing::as_fast_as_possible());
    CHECK(ok.value().idle_reset.count() == 0);
}

TEST_CASE("exhibit controls: a visitor's reply is what the keyboard can send, as the next TOHAK",
          "[exhibit]") {
    CHECK(exhibit::keyboard_text("  well done.\n<script>  ") == "WELL DONE. SCRIPT");
    CHECK(exhibit::keyboard_text("<>{}").empty());
    CHECK(exhibit::keyboard_text(std::string(1000, 'a')).size() == exhibit::max_reply_chars);

    auto june = hakto::sim::load_named_scenario("june1972");
    REQUIRE(june);
    const auto& scn = june.value();
    auto at = scn.start + std::chrono::hours{2};
    auto spec = exhibit::draft_reply("WELL DONE", hakto::protocol::precedence::flash, scn, at);
    REQUIRE(spec);
    CHECK(spec.value().id.rfind("TOHAK ", 0) == 0);
    CHECK(spec.value().origin == "WTE");
    CHECK(spec.value().addressees == std::vector<std::string>{"WTE10"});
    CHECK(spec.value().filed == at);
    CHECK(spec.value().text->find("WELL DONE") != std::string::npos);
    CHECK(spec.value().text->find("GENERAL HAIG") != std::string::npos);

    hakto::sim::scenario bare;
    CHECK(exhibit::draft_reply("HELLO", hakto::protocol::precedence::flash, bare, at)
              .error()
              .message() == "this scenario has no WTE and WTE10");
}
