#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/crypto/crypto.hpp"
#include "sim/crypto/text_score_tables.hpp"
#include "sim/noise.hpp"
#include "support/teletype_codes.hpp"

using namespace hakto::sim;
namespace proto = hakto::protocol;

namespace {

// The text of HAKTO 12 (FRUS 1969-76 vol. E-13, doc. 143), as sent: CR CR LF line ends.
const char* const hakto12 =
    "WE DE WTE1Ø\r\r\n"
    "O 211615Z\r\r\n"
    "JUNE 21, 1972\r\r\n"
    "TO GENERAL HAIG, THE WHITE HOUSE\r\r\n"
    "FROM HENRY A KISSINGER\r\r\n"
    "HAKTO 12\r\r\n"
    "1. THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO\r\r\n"
    "VIETNAM WITH SOME DISCUSSION OF SOVIET UNION AT OUTSET.\r\r\n"
    "2. THEIR DISTRUST OF RUSSIANS WAS ONCE AGAIN CLEAR. CHOU EMPHASIZED\r\r\n"
    "THAT DISARMAMENT IMPOSSIBLE, WITH LIMITATIONS IN SOME FIELDS BUT\r\r\n"
    "INCREASES IN OTHERS. HE STRONGLY INTIMATED NEED FOR U.S. TO KEEP ITS\r\r\n"
    "DEFENSES UP, MAKING FAVORABLE REFERENCES TO LAIRD TESTIMONY BEFORE\r\r\n"
    "SFRC (PLEASE PROTECT). HE ALSO DISPLAYED CONCERN OVER OUR EXTENDING\r\r\n"
    "CREDITS TO SOVIETS SINCE THIS MIGHT BE THE ONLY WAY THAT STRAINED\r\r\n"
    "SOVIET ECONOMY COULD FUEL THEIR ARMS BUILD UP.\r\r\n"
    "3. CHOU REVIEWED VIETNAM AND MADE RATHER DESULTORY DEFENSE OF NORTH\r\r\n"
    "VIETNAMESE POSITION. AT THE END HE SAID THAT CONTINUATION OF THE WAS\r\r\n"
    "WOULD NOT REPEAT NOT INTERFERE IN RELAXATION OF RELATIONS BETWEEN US\r\r\n"
    "AND PRC.\r\r\n"
    "4. IN SEPERATE COUNTERPART MEETING THERE WAS FULL EXCHANGE OF VIEWS ON\r\r\n"
    "HOW TO PROMOTE EXCHANGES BETWEEN OUR COUNTRIES.\r\r\n"
    "5. THEY ARE GOING TO EXTRAORDINARY LENGTHS TO SHOW HOSPITALITY TO US.\r\r\n"
    "WARM REGARDS\r\r\n";

std::vector<code> encrypt_all(key_reader& r, const std::vector<code>& plain) {
    auto c = r.encrypt(plain);
    REQUIRE(c.has_value());
    return c.value();
}

// Feeds the received ciphertext to a resyncing receiver; returns what it printed.
std::vector<code> receive_all(resync_receiver& rx, const std::vector<code>& cipher) {
    std::vector<code> out;
    for (const code c : cipher) {
        auto p = rx.receive(c);
        REQUIRE(p.has_value());
        out.push_back(p.value());
    }
    return out;
}

}  // namespace

TEST_CASE("Vernam: each line code XOR one key code, A xor B = G") {
    // Vernam's patent example: A (++---) combined with B (+--++) gives G (-+-++).
    CHECK(vernam(0x03, 0x19) == 0x1A);
    CHECK(vernam(0x1A, 0x19) == 0x03);  // the same operation decrypts
    const std::vector<code> a = hakto::test::encode_text("A");
    const std::vector<code> b = hakto::test::encode_text("B");
    const std::vector<code> g = hakto::test::encode_text("G");
    CHECK(vernam(a.back(), b.back()) == g.back());
    // Only five elements: anything above is masked off.
    CHECK(vernam(0xE3, 0x19) == 0x1A);
}

TEST_CASE("a key tape is punched from a seed, two identical copies, near-uniform codes") {
    const key_tape t1 = key_tape::punch(1972, 320'000);
    const key_tape t2 = key_tape::punch(1972, 320'000);
    CHECK(std::equal(t1.codes().begin(), t1.codes().end(), t2.codes().begin(), t2.codes().end()));
    CHECK_FALSE(t1.same_key(t2));  // punched separately: separate ledgers
    const auto [near, far] = key_tape::punch_pair(1972, 320'000);
    CHECK(near.same_key(far));
    CHECK(
        std::equal(near.codes().begin(), near.codes().end(), t1.codes().begin(), t1.codes().end()));
    CHECK(key_tape::punch(1973, 16).codes()[0] != key_tape::punch(1972, 16).codes()[0]);
    // This seed's first codes, exactly.
    const std::vector<code> first(t1.codes().begin(), t1.codes().begin() + 8);
    CHECK(first == std::vector<code>{15, 6, 28, 21, 3, 14, 9, 5});
    // The makers counted that all 32 codes are equally frequent: chi-square with 31 degrees of
    // freedom (mean 31, sd 7.9) below mean + 4 sd.
    const std::vector<std::size_t> counts = t1.code_counts();
    double chi2 = 0;
    for (const std::size_t n : counts) {
        const double d = static_cast<double>(n) - 10'000.0;
        chi2 += d * d / 10'000.0;
    }
    CHECK(chi2 < 31.0 + 4 * std::sqrt(62.0));
    for (const code c : t1.codes()) {
        REQUIRE(c < 32);
    }
}

TEST_CASE("round trip: the far end's copy at the same position gives back every code") {
    const auto [near, far] = key_tape::punch_pair(42, 5000);
    key_reader sender(near, 100);
    key_reader receiver(far, 100);
    const std::vector<code> plain = hakto::test::encode_text(hakto12);
    const std::vector<code> cipher = encrypt_all(sender, plain);
    REQUIRE(cipher.size() == plain.size());
    // One key code per line code, shifts, CR and LF included.
    for (std::size_t i = 0; i < plain.size(); ++i) {
        REQUIRE(cipher[i] == vernam(plain[i], near.at(100 + i)));
    }
    CHECK(cipher != plain);
    auto back = receiver.decrypt(cipher);
    REQUIRE(back.has_value());
    CHECK(back.value() == plain);
    CHECK(proto::decode(back.value()) == proto::decode(plain));
    CHECK(sender.position() == 100 + plain.size());
    CHECK(receiver.position() == 100 + plain.size());
    // The ciphertext looks like random codes, the plain text like text.
    CHECK(plain_text_score(plain) > 0.4);
    CHECK(plain_text_score(cipher) < -0.8);
    // A receiver one character off gives garbage: about 1 code in 32 right by chance.
    key_reader off(far, 101);
    const std::vector<code> garbage = off.decrypt(cipher).value();
    std::size_t same = 0;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        same += garbage[i] == plain[i] ? 1 : 0;
    }
    const double n = static_cast<double>(plain.size());
    CHECK(std::abs(static_cast<double>(same) - n / 32) <= 4 * std::sqrt(n / 32 * 31 / 32));
}

TEST_CASE("key is never reused: the tape refuses and records it") {
    const auto [near, far] = key_tape::punch_pair(7, 30);
    key_reader a(near);
    key_reader b(far);  // the other end's copy: the same key
    const std::vector<code> ten(10, 0x04);
    REQUIRE(a.encrypt(ten).has_value());
    CHECK(near.used_ranges() == std::vector<key_range>{{0, 10}});

    // The far end encrypting from position 0 would put two messages in depth: refused.
    auto refused = b.encrypt(ten);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == key_error{key_error_kind::reuse, 0, 10, 0});
    CHECK(refused.error().message() ==
          "key reuse refused: positions 0..9 asked for, position 0 already used");
    CHECK(b.position() == 0);  // nothing moved
    CHECK(near.refusals().size() == 1);
    CHECK(far.refusals() == near.refusals());

    // Overlapping the end of the used range: refused at its first used position.
    REQUIRE(b.step(5).has_value());
    auto overlap = b.encrypt(ten);
    REQUIRE_FALSE(overlap.has_value());
    CHECK(overlap.error() == key_error{key_error_kind::reuse, 5, 10, 5});
    // A single code at a used position.
    auto one = b.encrypt(code{0x03});
    REQUIRE_FALSE(one.has_value());
    CHECK(one.error().kind == key_error_kind::reuse);

    // Fresh positions are fine and join the used range.
    REQUIRE(b.step(5).has_value());
    REQUIRE(b.encrypt(ten).has_value());
    CHECK(near.used_ranges() == std::vector<key_range>{{0, 20}});
    CHECK(near.used_count() == 20);
    CHECK(near.used(19));
    CHECK_FALSE(near.used(20));

    // Past the end: exhausted, all or nothing.
    auto tail = b.encrypt(std::vector<code>(11, 0x04));
    REQUIRE_FALSE(tail.has_value());
    CHECK(tail.error() == key_error{key_error_kind::exhausted, 20, 11, 0});
    CHECK(near.used_count() == 20);
    CHECK(near.refusals().size() == 4);

    // A gap can be used later and merges both neighbours.
    key_reader c(near, 25);
    REQUIRE(c.encrypt(std::vector<code>(5, 0x04)).has_value());
    CHECK(near.used_ranges() == std::vector<key_range>{{0, 20}, {25, 30}});
    key_reader d(near, 20);
    REQUIRE(d.encrypt(std::vector<code>(5, 0x04)).has_value());
    CHECK(near.used_ranges() == std::vector<key_range>{{0, 30}});

    // Decrypting never uses key up, and walking is checked against the ends of the tape.
    key_reader e(far, 0);
    CHECK(e.decrypt(code{0x00}).has_value());
    CHECK(e.step(-2).error().kind == key_error_kind::before_start);
    CHECK(e.step(30).error().kind == key_error_kind::exhausted);
    CHECK(e.step(29).has_value());
    CHECK_FALSE(e.decrypt(code{0x00}).has_value());
}

TEST_CASE("depth: one key used twice gives c1 xor c2 = p1 xor p2, and the detector sees it") {
    const std::vector<code> all = hakto::test::encode_text(hakto12);
    REQUIRE(all.size() >= 1100);
    const std::vector<code> p1(all.begin(), all.begin() + 550);
    const std::vector<code> p2(all.begin() + 550, all.begin() + 1100);
    const key_tape key = key_tape::punch(11, 1100);
    // Encrypting both with the same key positions bypasses the tape's ledger on purpose: this
    // is what the ledger is there to prevent.
    std::vector<code> c1;
    std::vector<code> c2;
    std::vector<code> c3;  // p2 under fresh key
    for (std::size_t i = 0; i < 550; ++i) {
        c1.push_back(vernam(p1[i], key.at(i)));
        c2.push_back(vernam(p2[i], key.at(i)));
        c3.push_back(vernam(p2[i], key.at(550 + i)));
    }
    const depth_report depth = detect_depth(c1, c2);
    REQUIRE(depth.length == 550);
    for (std::size_t i = 0; i < 550; ++i) {
        REQUIRE(depth.combined[i] == vernam(p1[i], p2[i]));  // the key has dropped out
    }
    CHECK(depth.in_depth);
    // Plain texts agree at 34 of 550 positions (6.2 %); independent keys agree 1 time in 32.
    CHECK(depth.coincidences == 34);
    CHECK(depth.z == Approx(5.1365).margin(1e-4));
    const depth_report fresh = detect_depth(c1, c3);
    CHECK_FALSE(fresh.in_depth);
    CHECK(fresh.coincidences == 13);
    CHECK(fresh.z == Approx(-0.2878).margin(1e-4));
    // The detector under independent keys: z is a standard score, so it rarely reaches 4.
    xoshiro256ss g(77);
    int over = 0;
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<code> r1(550);
        std::vector<code> r2(550);
        for (std::size_t i = 0; i < 550; ++i) {
            r1[i] = static_cast<code>(g.next() >> 59);
            r2[i] = static_cast<code>(g.next() >> 59);
        }
        over += detect_depth(r1, r2).in_depth ? 1 : 0;
    }
    CHECK(over == 0);
}

TEST_CASE("the text score separates plain text from random codes") {
    const std::vector<code> plain = hakto::test::encode_text(hakto12);
    xoshiro256ss g(3);
    std::vector<code> noise(plain.size());
    for (code& c : noise) {
        c = static_cast<code>(g.next() >> 59);
    }
    CHECK(plain_text_score(plain) == Approx(0.9215).margin(1e-4));
    CHECK(plain_text_score(noise) < -1.5);
    CHECK(plain_text_score(noise) > -2.5);
    CHECK(plain_text_score({}) == 0.0);
}

TEST_CASE("a slip garbles the text until the receiving operator walks the tape back into step") {
    const std::vector<code> plain = hakto::test::encode_text(hakto12);
    const auto [near, far] = key_tape::punch_pair(1972, 4000);

    struct slip_case {
        const char* what;
        std::ptrdiff_t slip;  // > 0: characters lost on the line; < 0: extra characters
        std::ptrdiff_t expected_offset;
    };
    for (const slip_case sc : {slip_case{"one lost", 1, 1}, slip_case{"one extra", -1, -1},
                               slip_case{"three lost", 3, 3}}) {
        INFO(sc.what);
        const key_tape tape = key_tape::punch(1972, 4000);
        key_reader sender(tape, 0);
        const std::vector<code> cipher = encrypt_all(sender, plain);
        // The line loses (or adds) characters at index 300.
        std::vector<code> received(cipher.begin(), cipher.begin() + 300);
        std::size_t resume = 300;
        if (sc.slip > 0) {
            resume += static_cast<std::size_t>(sc.slip);
        } else {
            for (std::ptrdiff_t i = 0; i < -sc.slip; ++i) {
                received.push_back(0x15);
            }
        }
        received.insert(received.end(), cipher.begin() + static_cast<std::ptrdiff_t>(resume),
                        cipher.end());

        resync_receiver rx{key_reader(tape, 0)};
        const std::vector<code> printed = receive_all(rx, received);
        REQUIRE(rx.events().size() == 1);
        const resync_event& ev = rx.events()[0];
        CHECK(ev.offset == sc.expected_offset);
        CHECK(ev.detected_at > 300);
        CHECK(ev.detected_at < 340);
        CHECK(ev.regained_at > ev.detected_at);
        CHECK(ev.regained_at < 360);
        // Before the slip: the text. From where step was regained: the text again, shifted by
        // the characters lost or added.
        for (std::size_t i = 0; i < 300; ++i) {
            REQUIRE(printed[i] == plain[i]);
        }
        for (std::size_t i = ev.regained_at; i < printed.size(); ++i) {
            const auto j = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(i) + sc.slip);
            REQUIRE(printed[i] == plain[j]);
        }
        CHECK(ev.key_position == ev.regained_at + static_cast<std::size_t>(sc.expected_offset));
        CHECK(rx.in_step());
    }
}

TEST_CASE("the walk is reported exactly for a fixed text and key") {
    const std::vector<code> plain = hakto::test::encode_text(hakto12);
    const key_tape tape = key_tape::punch(5, 4000);
    key_reader sender(tape);
    std::vector<code> cipher = encrypt_all(sender, plain);
    cipher.erase(cipher.begin() + 500);  // one character lost at 500
    resync_receiver rx{key_reader(tape)};
    receive_all(rx, cipher);
    REQUIRE(rx.events().size() == 1);
    // Garbage noticed 9 characters after the loss, the tape walked one character forward, and
    // the text in step again from character 516 (key position 517).
    CHECK(rx.events()[0] == resync_event{509, 1, 516, 517});
    // Once, in the figures-heavy header (the DTG and date lines), the window looked like
    // garbage and cleared without a walk.
    CHECK(rx.false_alarms() == 1);
}

TEST_CASE("without a slip the operator never walks the tape") {
    const std::vector<code> plain = hakto::test::encode_text(hakto12);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const key_tape tape = key_tape::punch(seed, 4000);
        key_reader sender(tape);
        resync_receiver rx{key_reader(tape)};
        const std::vector<code> printed = receive_all(rx, encrypt_all(sender, plain));
        CHECK(printed == plain);
        CHECK(rx.events().empty());
    }
}

namespace {

// The receiving operator as first written: the window scored with plain_text_score after every
// character. resync_receiver keeps the score up to date instead; it must decide the same.
class reference_receiver {
  public:
    reference_receiver(key_reader reader, resync_params params)
        : reader_(std::move(reader)), params_(params) {}

    code receive(code cipher) {
        const std::size_t key_position = reader_.position();
        const code plain = reader_.decrypt(cipher).value();
        history_.push_back(recent{cipher, plain, key_position});
        if (history_.size() > params_.window) history_.erase(history_.begin());
        const std::size_t index = count_++;
        std::vector<code> window(history_.size());
        if (!searching_ && history_.size() == params_.window) {
            std::transform(history_.begin(), history_.end(), window.begin(),
                           [](const recent& r) { return r.plain; });
            if (plain_text_score(window) < params_.garbage_below) {
                searching_ = true;
                detected_at_ = index;
            }
        }
        if (!searching_) return plain;
        const key_tape& tape = reader_.tape();
        double best = -1e300, second = -1e300;
        std::ptrdiff_t best_offset = 0;
        std::vector<code> best_plain;
        for (std::size_t i = 0; i <= 2 * params_.max_offset; ++i) {
            const auto magnitude = static_cast<std::ptrdiff_t>((i + 1) / 2);
            const std::ptrdiff_t d = (i % 2 == 1) ? magnitude : -magnitude;
            bool fits = true;
            for (std::size_t h = 0; h < history_.size(); ++h) {
                const auto q = static_cast<std::ptrdiff_t>(history_[h].key_position) + d;
                if (q < 0 || static_cast<std::size_t>(q) >= tape.size()) {
                    fits = false;
                    break;
                }
                window[h] = vernam(history_[h].cipher, tape.at(static_cast<std::size_t>(q)));
            }
            if (!fits) continue;
            const double s = plain_text_score(window);
            if (s > best) {
                second = best;
                best = s;
                best_offset = d;
                best_plain = window;
            } else if (s > second) {
                second = s;
            }
        }
        if (best < params_.text_at_least || best - second < params_.margin) return plain;
        if (best_offset != 0) {
            if (!reader_.step(best_offset)) return plain;
            events.push_back(
                resync_event{detected_at_, best_offset, index + 1, reader_.position()});
        } else {
            ++false_alarms;
        }
        for (std::size_t h = 0; h < history_.size(); ++h) {
            history_[h].plain = best_plain[h];
            history_[h].key_position = static_cast<std::size_t>(
                static_cast<std::ptrdiff_t>(history_[h].key_position) + best_offset);
        }
        searching_ = false;
        return plain;
    }
    std::size_t position() const { return reader_.position(); }
    bool in_step() const { return !searching_; }

    std::vector<resync_event> events;
    std::size_t false_alarms = 0;

  private:
    struct recent {
        code cipher, plain;
        std::size_t key_position;
    };
    key_reader reader_;
    resync_params params_;
    std::vector<recent> history_;
    std::size_t count_ = 0, detected_at_ = 0;
    bool searching_ = false;
};

}  // namespace

TEST_CASE("the receiver's running text score decides as plain_text_score over the window") {
    const std::vector<code> text = hakto::test::encode_text(hakto12);
    xoshiro256ss g(2024);
    for (int trial = 0; trial < 60; ++trial) {
        INFO("trial " << trial);
        resync_params params;
        params.window =
            std::vector<std::size_t>{24, 24, 1, 2, 5, 12}[static_cast<std::size_t>(trial) % 6];
        params.garbage_below =
            std::vector<double>{-0.5, 0.0, 0.9, -1.5}[static_cast<std::size_t>(trial / 6) % 4];
        const key_tape tape = key_tape::punch(static_cast<std::uint64_t>(trial), 20'000);
        key_reader sender(tape, 50);
        // Text, figures and all, with a slip, a burst of random codes and single hits here and
        // there.
        std::vector<code> plain(text.begin(), text.end());
        for (std::size_t i = 0; i < 400; ++i) plain.push_back(static_cast<code>(g.next() >> 59));
        plain.insert(plain.end(), text.begin(), text.end());
        const std::vector<code> cipher = encrypt_all(sender, plain);
        std::vector<code> line;
        for (std::size_t i = 0; i < cipher.size(); ++i) {
            const std::uint64_t r = g.next() % 1000;
            if (r < 3) continue;                                           // a lost character
            if (r < 5) line.push_back(static_cast<code>(g.next() >> 59));  // a spurious one
            line.push_back(r < 15 ? static_cast<code>(cipher[i] ^ (1U << (g.next() % 5)))
                                  : cipher[i]);
        }
        resync_receiver rx{key_reader(tape, 50), params};
        reference_receiver ref{key_reader(tape, 50), params};
        std::vector<code> printed;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const auto got = rx.receive(line[i]);
            REQUIRE(got.has_value());
            REQUIRE(got.value() == ref.receive(line[i]));
            REQUIRE(rx.reader().position() == ref.position());
            REQUIRE(rx.in_step() == ref.in_step());
            printed.push_back(got.value());
        }
        CHECK(rx.events() == ref.events);
        CHECK(rx.false_alarms() == ref.false_alarms);
        // The same stream handed over in runs of any length.
        resync_receiver runs{key_reader(tape, 50), params};
        std::vector<code> out(line.size());
        for (std::size_t i = 0; i < line.size();) {
            const std::size_t n = std::min<std::size_t>(line.size() - i, 1 + g.next() % 200);
            REQUIRE(runs.receive(std::span<const code>(line.data() + i, n),
                                 std::span<code>(out.data() + i, n)) == n);
            i += n;
        }
        CHECK(out == printed);
        CHECK(runs.events() == rx.events());
        CHECK(runs.false_alarms() == rx.false_alarms());
        CHECK(runs.reader().position() == rx.reader().position());
    }
    // A run stops where the tape runs out, as receive() refuses there.
    const key_tape short_tape = key_tape::punch(8, 100);
    resync_receiver one{key_reader(short_tape, 0)}, many{key_reader(short_tape, 0)};
    const std::vector<code> cipher(150, 0x04);
    std::vector<code> out(150, 0xFF);
    CHECK(many.receive(cipher, out) == 100);
    for (std::size_t i = 0; i < 150; ++i) {
        const auto got = one.receive(cipher[i]);
        REQUIRE(got.has_value() == (i < 100));
        if (got) REQUIRE(got.value() == out[i]);
    }
    CHECK(out[100] == 0xFF);
    CHECK(many.received() == one.received());
}

TEST_CASE("a punched tape read anywhere, in any order, gives the seed's stream") {
    constexpr std::size_t length = 40'000;  // several blocks
    xoshiro256ss rng(99);
    std::vector<code> stream;
    while (stream.size() < length) {
        std::uint64_t bits = rng.next();
        for (int i = 0; i < 12 && stream.size() < length; ++i, bits <<= 5)
            stream.push_back(static_cast<code>(bits >> 59));
    }
    const key_tape tape = key_tape::punch(99, length);
    CHECK(tape.size() == length);
    xoshiro256ss pick(5);
    for (int k = 0; k < 20'000; ++k) {
        const auto p = static_cast<std::size_t>(pick.next() % length);
        REQUIRE(tape.at(p) == stream[p]);
    }
    for (std::size_t p = length; p-- > 0;) REQUIRE(tape.at(p) == stream[p]);  // backwards
    std::vector<code> chunk(9'000);
    tape.read(length - chunk.size(), chunk);
    CHECK(std::equal(chunk.begin(), chunk.end(),
                     stream.end() - static_cast<std::ptrdiff_t>(chunk.size())));
    tape.read(1, std::span<code>(chunk.data(), 7000));
    CHECK(std::equal(chunk.begin(), chunk.begin() + 7000, stream.begin() + 1));
    CHECK(std::equal(tape.codes().begin(), tape.codes().end(), stream.begin(), stream.end()));
    CHECK(tape.at(12'345) == stream[12'345]);  // and after the whole tape was made
}

TEST_CASE("the text score's tables are read off the teletype code") {
    const auto& w = hakto::sim::detail::letters_weights();
    // E is code 01 and the most frequent letter; A is 03; Z (11) and Q (17) the rarest.
    CHECK(w[0x01] == 100);
    CHECK(w[0x03] == 65);
    CHECK(w[0x11] == 1);
    CHECK(w[0x17] == 1);
    CHECK(w[hakto::protocol::codes::space] == 160);
    CHECK(w[hakto::protocol::codes::nul] == 0.05);
    const auto& t = hakto::sim::detail::tables();
    // T then H (10, 14) is a common pair; Q then Z (17, 11) is not; neither is a letter pair
    // when one of them is a shift.
    CHECK(t.pair[0x10][0x14] > 1.0);
    CHECK(t.pair[0x17][0x11] < 0.0);
    CHECK(t.pair[hakto::protocol::codes::figs][0x14] == 0.0);
    // In figures, LTRS (to leave) is the likeliest code and the digits 1, 0, 2 follow.
    CHECK(t.figures[hakto::protocol::codes::ltrs] > t.figures[0x17]);
    CHECK(t.figures[0x17] > t.figures[0x01]);  // 1 before 3
}
