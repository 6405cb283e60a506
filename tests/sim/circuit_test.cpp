#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/circuit.hpp"
#include "sim/clock.hpp"
#include "support/sim_times.hpp"
#include "support/teletype_codes.hpp"

using namespace hakto::sim;
namespace proto = hakto::protocol;
using std::chrono::milliseconds;
using std::chrono::seconds;
using state = circuit::state;

using hakto::test::t0;

namespace {

circuit make(circuit_config cfg) {
    auto c = circuit::create(std::move(cfg));
    REQUIRE(c.has_value());
    return std::move(c).value();
}

circuit_config plain_config(sim_duration delay = milliseconds{0}) {
    circuit_config cfg;
    cfg.name = "WTE-WHCA";
    cfg.propagation_delay = delay;
    return cfg;
}

const char* const paragraph =
    "1. THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO\r\r\n"
    "VIETNAM WITH SOME DISCUSSION OF SOVIET UNION AT OUTSET.\r\r\n"
    "2. THEIR DISTRUST OF RUSSIANS WAS ONCE AGAIN CLEAR. CHOU EMPHASIZED\r\r\n"
    "THAT DISARMAMENT IMPOSSIBLE, WITH LIMITATIONS IN SOME FIELDS BUT\r\r\n"
    "INCREASES IN OTHERS. HE STRONGLY INTIMATED NEED FOR U.S. TO KEEP ITS\r\r\n"
    "DEFENSES UP, MAKING FAVORABLE REFERENCES TO LAIRD TESTIMONY BEFORE\r\r\n"
    "SFRC (PLEASE PROTECT). HE ALSO DISPLAYED CONCERN OVER OUR EXTENDING\r\r\n"
    "CREDITS TO SOVIETS SINCE THIS MIGHT BE THE ONLY WAY THAT STRAINED\r\r\n"
    "SOVIET ECONOMY COULD FUEL THEIR ARMS BUILD UP.\r\r\n";

}  // namespace

TEST_CASE("a transmission logs idle -> transmitting -> idle with closed-form timing") {
    circuit c = make(plain_config(milliseconds{250}));
    CHECK(c.current() == state::idle);
    CHECK(c.log().empty());
    const std::vector<code> codes(1000, proto::codes::ltrs);
    auto t = c.transmit(t0, codes, "HAKTO 12");
    REQUIRE(t.has_value());
    const line_transmission& tx = t.value();
    CHECK(tx.serial == 1);
    CHECK(tx.delivered == codes);
    CHECK(tx.printed() == codes);
    // 1,000 frames at 60 wpm: 163.256 s; each frame arrives 250 ms after it leaves.
    CHECK((tx.end() - t0).count() == 163'256'325'633);
    CHECK(tx.arrival_end() == tx.end() + milliseconds{250});
    CHECK(tx.sender_start(10) == profile_60wpm().frame_start(t0, 10));
    CHECK(tx.arrival_start(10) == tx.sender_start(10) + milliseconds{250});
    CHECK(tx.arrival_end(999) == tx.arrival_end());
    CHECK(c.current() == state::transmitting);
    CHECK(c.busy_until() == tx.end());
    REQUIRE(c.log().size() == 1);
    CHECK(c.log()[0] == circuit::transition{t0, state::idle, state::transmitting, "HAKTO 12"});

    // Still on the line one nanosecond before the end.
    c.advance(tx.end() - std::chrono::nanoseconds{1});
    CHECK(c.current() == state::transmitting);
    c.advance(tx.end() + seconds{5});
    CHECK(c.current() == state::idle);
    REQUIRE(c.log().size() == 2);
    CHECK(c.log()[1] ==
          circuit::transition{tx.end(), state::transmitting, state::idle, "end of transmission"});
    CHECK(c.totals().transmissions == 1);
    CHECK(c.totals().counters.line.chars_sent == 1000);
    CHECK(c.totals().counters.line.elements_sent == 7000);
    CHECK_FALSE(c.busy_until().has_value());
}

TEST_CASE("a busy circuit and time going backwards are refused, nothing logged") {
    circuit c = make(plain_config());
    const std::vector<code> codes = hakto::test::encode_text("RYRYRYRYRY");
    auto first = c.transmit(t0, codes);
    REQUIRE(first.has_value());
    auto busy = c.transmit(t0 + milliseconds{500}, codes);
    REQUIRE_FALSE(busy.has_value());
    CHECK(busy.error().kind == circuit_error_kind::busy);
    CHECK(busy.error().message == "circuit WTE-WHCA: busy until 1972-06-21T16:15:01.795819582Z");
    auto back = c.transmit(t0 - seconds{1}, codes);
    REQUIRE_FALSE(back.has_value());
    CHECK(back.error().kind == circuit_error_kind::time_went_backwards);
    CHECK(c.log().size() == 1);
    // The next transmission may start the instant the previous one ends; the end is logged
    // first.
    auto second = c.transmit(first.value().end(), codes, "second");
    REQUIRE(second.has_value());
    CHECK(second.value().serial == 2);
    REQUIRE(c.log().size() == 3);
    CHECK(c.log()[1].to == state::idle);
    CHECK(c.log()[1].at == first.value().end());
    CHECK(c.log()[2] ==
          circuit::transition{first.value().end(), state::idle, state::transmitting, "second"});
}

TEST_CASE("interrupt: the character in progress completes, the rest is cut") {
    circuit c = make(plain_config(milliseconds{100}));
    const std::vector<code> routine = hakto::test::encode_text(paragraph);
    REQUIRE(c.transmit(t0, routine, "ROUTINE").has_value());
    const line_profile& p = profile_60wpm();
    // Halfway through frame 40.
    const sim_time at = p.frame_start(t0, 40) + milliseconds{80};
    auto cut = c.interrupt(at, "FLASH preempts");
    REQUIRE(cut.has_value());
    const interruption& i = cut.value();
    CHECK(i.at == at);
    CHECK(i.characters_through == 41);
    CHECK(i.characters_cut == routine.size() - 41);
    CHECK(i.line_free_at == p.frame_end(t0, 40));
    CHECK(i.transmission.sent == std::vector<code>(routine.begin(), routine.begin() + 41));
    CHECK(i.transmission.delivered == i.transmission.sent);
    CHECK(i.transmission.counters.line.chars_sent == 41);
    CHECK(c.current() == state::interrupted);
    CHECK(c.log().back() ==
          circuit::transition{at, state::transmitting, state::interrupted, "FLASH preempts"});
    CHECK(c.totals().interruptions == 1);
    CHECK(c.totals().counters.line.chars_sent == 41);

    // The FLASH goes once the character in progress has left.
    const std::vector<code> flash = hakto::test::encode_text("Z FLASH");
    auto early = c.transmit(at + milliseconds{1}, flash, "FLASH");
    REQUIRE_FALSE(early.has_value());
    CHECK(early.error().kind == circuit_error_kind::busy);
    auto sent = c.transmit(i.line_free_at, flash, "FLASH");
    REQUIRE(sent.has_value());
    CHECK(c.log().back() ==
          circuit::transition{i.line_free_at, state::interrupted, state::transmitting, "FLASH"});
    c.advance(sent.value().end());
    CHECK(c.current() == state::idle);

    // Nothing to interrupt or clear now.
    auto none = c.interrupt(sent.value().end() + seconds{1}, "again");
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().kind == circuit_error_kind::not_transmitting);
    CHECK(c.clear(sent.value().end() + seconds{1}, "x").error().kind ==
          circuit_error_kind::not_interrupted);
}

TEST_CASE("interrupted -> idle by clear, interrupt at the very start lets one character through") {
    circuit c = make(plain_config());
    const std::vector<code> codes = hakto::test::encode_text("THE QUICK BROWN FOX");
    REQUIRE(c.transmit(t0, codes).has_value());
    auto cut = c.interrupt(t0 + std::chrono::nanoseconds{1}, "stop");
    REQUIRE(cut.has_value());
    CHECK(cut.value().characters_through == 1);
    REQUIRE(c.clear(t0 + seconds{1}, "traffic abandoned").has_value());
    CHECK(c.current() == state::idle);
    const std::vector<state> visited = [&] {
        std::vector<state> v;
        for (const auto& tr : c.log()) v.push_back(tr.to);
        return v;
    }();
    CHECK(visited == std::vector<state>{state::transmitting, state::interrupted, state::idle});
}

TEST_CASE("out of service: refused traffic, a transmission cut at once, restore") {
    circuit c = make(plain_config());
    const std::vector<code> codes = hakto::test::encode_text(paragraph);
    REQUIRE(c.take_out_of_service(t0, "radio blackout").has_value());
    CHECK(c.current() == state::out_of_service);
    auto refused = c.transmit(t0 + seconds{1}, codes);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind == circuit_error_kind::out_of_service);
    CHECK(c.take_out_of_service(t0 + seconds{2}, "again").error().kind ==
          circuit_error_kind::out_of_service);
    REQUIRE(c.restore(t0 + seconds{60}, "circuit restored").has_value());
    CHECK(c.restore(t0 + seconds{61}, "again").error().kind == circuit_error_kind::in_service);

    // During a transmission: the line fails at once, the character in progress is lost.
    const sim_time start = t0 + seconds{100};
    REQUIRE(c.transmit(start, codes).has_value());
    const line_profile& p = profile_60wpm();
    const sim_time at = p.frame_start(start, 25) + milliseconds{80};
    auto cut = c.take_out_of_service(at, "line failure");
    REQUIRE(cut.has_value());
    REQUIRE(cut.value().has_value());
    CHECK(cut.value()->characters_through == 25);
    CHECK(cut.value()->transmission.delivered ==
          std::vector<code>(codes.begin(), codes.begin() + 25));
    CHECK(c.current() == state::out_of_service);

    REQUIRE(c.log().size() == 4);
    CHECK(c.log()[0] ==
          circuit::transition{t0, state::idle, state::out_of_service, "radio blackout"});
    CHECK(c.log()[1] == circuit::transition{t0 + seconds{60}, state::out_of_service, state::idle,
                                            "circuit restored"});
    CHECK(c.log()[2].to == state::transmitting);
    CHECK(c.log()[3] ==
          circuit::transition{at, state::transmitting, state::out_of_service, "line failure"});
}

TEST_CASE("on-line crypto: ciphertext on the line, plain text at the far end, key in step") {
    const auto [near, far] = key_tape::punch_pair(1972, 10'000);
    circuit_config cfg = plain_config();
    cfg.crypto = crypto_setup{near, far, 0, 0, resync_params{}};
    circuit c = make(cfg);
    const std::vector<code> codes = hakto::test::encode_text(paragraph);
    auto t = c.transmit(t0, codes);
    REQUIRE(t.has_value());
    CHECK(t.value().on_line != codes);
    for (std::size_t i = 0; i < codes.size(); ++i) {
        REQUIRE(t.value().on_line[i] == vernam(codes[i], near.at(i)));
    }
    CHECK(t.value().delivered == codes);
    CHECK(c.sender_key_position() == codes.size());
    CHECK(c.receiver_key_position() == codes.size());
    CHECK(near.used_ranges() == std::vector<key_range>{{0, codes.size()}});

    // An interrupted transmission discards the key of the characters not sent, at both ends,
    // so the next transmission still decrypts.
    const sim_time next = t.value().end();
    REQUIRE(c.transmit(next, codes).has_value());
    auto cut = c.interrupt(profile_60wpm().frame_start(next, 100), "preempted");
    REQUIRE(cut.has_value());
    CHECK(c.sender_key_position() == 2 * codes.size());
    CHECK(c.receiver_key_position() == 2 * codes.size());
    auto after = c.transmit(cut.value().line_free_at, codes);
    REQUIRE(after.has_value());
    CHECK(after.value().delivered == codes);
    CHECK(after.value().resyncs.empty());

    // A second circuit given the same key from position 0 is refused: no reuse.
    circuit other = make(cfg);
    auto refused = other.transmit(t0, codes);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind == circuit_error_kind::key_refused);
    REQUIRE(refused.error().key.has_value());
    CHECK(refused.error().key->kind == key_error_kind::reuse);
    CHECK(refused.error().key->first_conflict == 0);
    CHECK(other.totals().key_refusals == 1);
    CHECK(other.log().empty());
    CHECK(near.refusals().size() == 1);
}

TEST_CASE("a frame lost on the line slips the far end's key until the operator walks the tape") {
    const auto [near, far] = key_tape::punch_pair(5, 10'000);
    circuit_config cfg = plain_config(milliseconds{30});
    cfg.crypto = crypto_setup{near, far, 0, 0, resync_params{}};
    circuit c = make(cfg);
    const std::vector<code> codes = hakto::test::encode_text(paragraph);
    // The LTRS after "2." is all mark: with its start element hit, no frame starts there, and
    // the far end's reader stays one key character behind. The start element is a line
    // element: the hit is on the ciphertext, which for that frame is LTRS ⊕ key.
    std::size_t frame = 0;
    for (std::size_t i = 200; i < codes.size(); ++i) {
        if (codes[i] == proto::codes::ltrs) {
            frame = i;
            break;
        }
    }
    REQUIRE(frame > 0);
    // Hit every element of the frame that is space on the line, so that it reads all mark.
    const code cipher = vernam(codes[frame], near.at(frame));
    for (int j = 0; j < stop_element; ++j) {
        if (!element_value(cipher, j)) {
            c.noise().force_error(frame * elements_per_frame + static_cast<std::size_t>(j));
        }
    }
    auto t = c.transmit(t0, codes);
    REQUIRE(t.has_value());
    const line_transmission& tx = t.value();
    CHECK(tx.line.counters.frames_lost == 1);
    CHECK(tx.delivered[frame] == no_code);
    REQUIRE(tx.resyncs.size() == 1);
    const resync_event& ev = tx.resyncs[0];
    CHECK(ev.offset == 1);
    // Exactly, for this text and key: the LTRS at frame 234 is lost; the operator notices the
    // garbage at the 242nd character printed and is back in step from the 253rd, so the 18
    // characters printed from 234 to 251 are garbage.
    CHECK(frame == 234);
    CHECK(ev.detected_at == 241);
    CHECK(ev.regained_at == 252);
    CHECK(ev.key_position == 253);
    CHECK(tx.counters.plain_garbled == 18);
    // Before the loss the text is right; after the walk it is right again; in between garbage.
    for (std::size_t k = 0; k < frame; ++k) {
        REQUIRE(tx.delivered[k] == codes[k]);
    }
    const std::vector<code> printed = tx.printed();
    for (std::size_t i = ev.regained_at; i < printed.size(); ++i) {
        REQUIRE(printed[i] == codes[i + 1]);
    }
    CHECK(tx.counters.resyncs == 1);
    CHECK(c.receiver_key_position() == c.sender_key_position());
}

TEST_CASE("a noisy circuit is deterministic for its seed") {
    circuit_config cfg = plain_config();
    cfg.noise = noise_config{};
    cfg.noise->seed = 42;
    cfg.noise->independent = independent_errors{5e-3};
    circuit a = make(cfg);
    circuit b = make(cfg);
    const std::vector<code> codes = hakto::test::encode_text(paragraph);
    const auto ta = a.transmit(t0, codes).value();
    const auto tb = b.transmit(t0, codes).value();
    CHECK(ta.delivered == tb.delivered);
    CHECK(ta.line.faults == tb.line.faults);
    CHECK(ta.counters == tb.counters);
    CHECK(ta.counters.line.elements_flipped > 0);
    CHECK(ta.delivered != codes);
    CHECK(proto::decode(ta.printed()) != proto::decode(codes));

    circuit_config bad = plain_config();
    bad.noise = noise_config{};
    bad.noise->independent = independent_errors{-1};
    auto refused = circuit::create(bad);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind == circuit_error_kind::invalid_config);
}
