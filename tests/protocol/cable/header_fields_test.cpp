#include <catch2/catch.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/cable/series_tag.hpp"

using namespace hakto::protocol;
using namespace std::chrono_literals;

TEST_CASE("routing lines of the June 1972 cables") {
    auto r = read_routing_line("WE DE WTE1Ø");
    REQUIRE(r);
    CHECK(r->called == "WE");
    CHECK(r->calling == "WTE");
    CHECK(r->channel == "10");
    CHECK_FALSE(r->channel_spaced);
    CHECK(format_routing_line(*r) == "WE DE WTE10");

    r = read_routing_line("WTE DE WTE 10");
    REQUIRE(r);
    CHECK(r->called == "WTE");
    CHECK(r->channel == "10");
    CHECK(r->channel_spaced);
    CHECK(format_routing_line(*r) == "WTE DE WTE 10");

    r = read_routing_line("VFE DE WTE10");
    REQUIRE(r);
    CHECK(r->called == "VFE");
    CHECK(calling_station(*r) == "WTE10");

    r = read_routing_line("WTE10 DE WTE");  // TOHAK traffic to the trip station
    REQUIRE(r);
    CHECK(r->called == "WTE10");
    CHECK(r->calling == "WTE");
    CHECK_FALSE(read_routing_line("10WTE DE WTE"));
    r = read_routing_line("WTE DE WTE1O");  // letter O among the channel digits
    REQUIRE(r);
    CHECK(r->channel == "10");
    CHECK(read_routing_line("WTE DE WTE")->channel == std::nullopt);
    CHECK_FALSE(read_routing_line("THE DE FACTO POSITION IS CLEAR"));
    CHECK_FALSE(read_routing_line("DE WTE #0661 0381304"));
    CHECK_FALSE(read_routing_line(""));
}

TEST_CASE("precedence letters, names, objectives and preemption") {
    CHECK(precedence_letter(precedence::immediate) == 'O');
    CHECK(precedence_name(precedence::flash) == "FLASH");
    CHECK(precedence_from_letter('p') == precedence::priority);
    CHECK_FALSE(precedence_from_letter('X'));
    CHECK(precedence_from_string("Immediate") == precedence::immediate);
    CHECK(handling_objective(precedence::flash) == 10min);
    CHECK(handling_objective(precedence::immediate) == 30min);
    CHECK(handling_objective(precedence::priority) == 3h);
    CHECK(handling_objective(precedence::routine) == 6h);
    CHECK(preempts(precedence::flash, precedence::routine));
    CHECK(preempts(precedence::emergency, precedence::flash));
    CHECK_FALSE(preempts(precedence::flash, precedence::flash));
    CHECK_FALSE(preempts(precedence::immediate, precedence::routine));
}

TEST_CASE("series tags") {
    auto t = read_series_tag("HAKTO 7");
    REQUIRE(t);
    CHECK(t->name == "HAKTO");
    CHECK(t->number == 7);
    t = read_series_tag("HAKTO");
    REQUIRE(t);
    CHECK_FALSE(t->number);
    t = read_series_tag("Hakto 46/226");
    REQUIRE(t);
    CHECK(t->name == "HAKTO");
    CHECK(t->number == 46);
    CHECK(t->second_serial == "226");
    CHECK(format_series_tag(*t) == "HAKTO 46/226");
    t = read_series_tag("Tohak 89/WHS 2289");
    REQUIRE(t);
    CHECK(t->name == "TOHAK");
    CHECK(t->number == 89);
    CHECK(t->second_serial == "WHS 2289");
    for (auto name : {"SITTO 3", "TOSIT 26", "SECTO 1", "TOSEC 14"}) CHECK(read_series_tag(name));
    CHECK_FALSE(read_series_tag("HAKTO 7 WAS SENT"));
    CHECK_FALSE(read_series_tag("HAKTOS"));
    auto found = find_series_tag("FM THE SITUATION ROOM //TOHAK 003//");
    REQUIRE(found);
    CHECK(found->number == 3);
    CHECK(find_series_tag("143. Backchannel Message HAKTO 12 From the President")->number == 12);
    CHECK(reply_series("HAKTO") == "TOHAK");
    CHECK(reply_series("tosit") == "SITTO");
}
