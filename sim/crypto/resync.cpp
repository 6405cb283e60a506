#include "sim/crypto/resync.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>

#include "sim/crypto/text_score_tables.hpp"

namespace hakto::sim {

using detail::fixed;
using detail::fixed_tables;

using protocol::codes::figs;
using protocol::codes::ltrs;
using protocol::codes::mask;
using protocol::codes::space;

resync_receiver::resync_receiver(key_reader reader, resync_params params)
    : reader_(std::move(reader)), params_(params) {
    if (params_.window == 0) {
        params_.window = 1;
    }
    history_.resize(params_.window);
    terms_.resize(params_.window);
    const fixed_tables& f = fixed();
    letter_terms_ = f.letters;
    figure_terms_ = f.figures;
    // The decision band, in the units of the fixed-point sum over a full window.
    const double n = static_cast<double>(params_.window) * fixed_tables::scale;
    const double low = (params_.garbage_below - 1e-9) * n;
    const double high = (params_.garbage_below + 1e-9) * n;
    constexpr double limit = 0x1p62;
    // sum < low  <=>  sum < ceil(low); sum > high  <=>  sum > floor(high). NaN: always undecided.
    garbage_low_ = !(low > -limit) ? std::numeric_limits<std::int64_t>::min()
                   : low > limit   ? std::numeric_limits<std::int64_t>::max()
                                   : static_cast<std::int64_t>(std::ceil(low));
    garbage_high_ = std::isnan(high) ? std::numeric_limits<std::int64_t>::max()
                    : high < -limit  ? std::numeric_limits<std::int64_t>::min()
                    : high > limit   ? std::numeric_limits<std::int64_t>::max()
                                     : static_cast<std::int64_t>(std::floor(high));
}

expected<void, key_error> resync_receiver::skip(std::ptrdiff_t n) {
    return reader_.step(n);
}

// Adds a character to the window (dropping the oldest once it is full) and keeps the window's
// score terms up to date. The terms are those of plain_text_score over the window alone: its
// first character is read in letters with no letter before it. Dropping the oldest character
// changes only the new first character's term, unless the dropped one was FIGS (then the
// characters it shifted are read in letters now: everything is scored again, lazily).
inline void resync_receiver::remember(const recent& r) {
    const std::size_t window = params_.window;
    std::size_t slot;
    if (filled_ < window) {
        slot = filled_++;
        history_[slot] = r;
    } else {
        slot = head_;
        const code dropped = static_cast<code>(history_[slot].plain & mask);
        history_[slot] = r;
        head_ = head_ + 1 == window ? 0 : head_ + 1;
        if (scored_) {
            score_sum_ -= terms_[slot];
            if (dropped == figs) {
                scored_ = false;
            } else if (window == 1) {
                tail_figures_ = false;  // the window is empty before the new character
                tail_previous_ = figs;
            } else {
                // The new first character: in letters (the dropped one was not FIGS) and now
                // without a letter before it.
                const std::size_t first = head_;
                const std::int64_t t = letter_terms_[figs][history_[first].plain & mask];
                score_sum_ += t - terms_[first];
                terms_[first] = t;
            }
        }
    }
    if (!scored_) {
        return;
    }
    const std::int64_t term = next_term(static_cast<code>(r.plain & mask));
    terms_[slot] = term;
    score_sum_ += term;
}

namespace {

/// The score term of code `c` after `previous` in the shift `in_figures`; moves both on
/// (FIGS enters figures; LTRS and SPACE return to letters).
inline std::int64_t score_term(const std::int64_t (*letter)[32], const std::int64_t* figure,
                               code& previous, bool& in_figures, code c) noexcept {
    std::int64_t term;
    if (in_figures) {
        term = figure[c];
        previous = figs;
    } else {
        term = letter[previous][c];
        previous = c;
    }
    if (c == figs) {
        in_figures = true;
    } else if (c == ltrs || c == space) {
        in_figures = false;
    }
    return term;
}

}  // namespace

std::int64_t resync_receiver::next_term(code c) noexcept {
    return score_term(letter_terms_, figure_terms_, tail_previous_, tail_figures_, c);
}

// Scores the whole window again from its first character.
void resync_receiver::rescore() {
    score_sum_ = 0;
    tail_figures_ = false;
    tail_previous_ = figs;
    for (std::size_t h = 0; h < filled_; ++h) {
        std::size_t i = head_ + h;
        if (i >= filled_) {
            i -= filled_;
        }
        const std::int64_t term = next_term(static_cast<code>(history_[i].plain & mask));
        terms_[i] = term;
        score_sum_ += term;
    }
    scored_ = true;
}

// plain_text_score(window) < garbage_below for the full window, taken on the fixed-point sum
// when it is clear of the threshold (its error is below 1e-10 a character), else from
// plain_text_score itself.
inline bool resync_receiver::window_is_garbage() {
    if (!scored_) {
        rescore();
    }
    if (score_sum_ < garbage_low_) {
        return true;
    }
    if (score_sum_ > garbage_high_) {
        return false;
    }
    window_.resize(filled_);
    for (std::size_t h = 0; h < filled_; ++h) {
        window_[h] = history(h).plain;
    }
    return plain_text_score(window_) < params_.garbage_below;
}

expected<code, key_error> resync_receiver::receive(code cipher) {
    const std::size_t key_position = reader_.position();
    auto decrypted = reader_.decrypt(cipher);
    if (!decrypted) {
        return decrypted.error();
    }
    const code plain = decrypted.value();
    remember(recent{cipher, plain, key_position});
    const std::size_t index = count_++;
    if (!searching_ && filled_ == params_.window && window_is_garbage()) {
        searching_ = true;
        detected_at_ = index;
    }
    if (searching_) {
        search(index);
    }
    return plain;
}

std::size_t resync_receiver::receive(std::span<const code> cipher, std::span<code> plain) {
    const key_tape& tape = reader_.tape_;
    const std::size_t length = tape.size();
    std::size_t done = 0;
    while (done < cipher.size()) {
        if (scored_ && !searching_ && filled_ == params_.window && params_.window >= 2) {
            done +=
                receive_in_step(cipher.data() + done, plain.data() + done, cipher.size() - done);
            if (done == cipher.size()) {
                break;
            }
        }
        // One character as receive(code) takes it.
        const std::size_t key_position = reader_.position_;
        if (key_position >= length) {
            break;  // as decrypt() refuses
        }
        const code c = cipher[done];
        const code p = vernam(c, tape.at(key_position));
        reader_.position_ = key_position + 1;
        remember(recent{c, p, key_position});
        const std::size_t index = count_++;
        if (!searching_ && filled_ == params_.window && window_is_garbage()) {
            searching_ = true;
            detected_at_ = index;
        }
        if (searching_) {
            search(index);
        }
        plain[done++] = p;
    }
    return done;
}

// The usual case, in a loop of its own with the state in locals: the operator in step, the window
// full (of at least two characters) and scored. The same steps as remember() and
// window_is_garbage() for each character. Stops before a character that would drop FIGS out of
// the window or run off the tape, and after a character whose window is not clearly text (having
// dealt with it as receive(code) does). Returns the characters taken.
std::size_t resync_receiver::receive_in_step(const code* cipher, code* plain, std::size_t n) {
    const key_tape& tape = reader_.tape_;
    const std::size_t length = tape.size();
    const std::size_t window = params_.window;
    const std::int64_t(*letter)[32] = letter_terms_;
    const std::int64_t* figure = figure_terms_;
    const std::int64_t high = garbage_high_;
    recent* history = history_.data();
    std::int64_t* terms = terms_.data();
    std::size_t position = reader_.position_;
    std::size_t head = head_;
    std::size_t count = count_;
    std::int64_t sum = score_sum_;
    bool in_figures = tail_figures_;
    code previous = tail_previous_;
    const auto write_back = [&] {
        reader_.position_ = position;
        head_ = head;
        count_ = count;
        score_sum_ = sum;
        tail_figures_ = in_figures;
        tail_previous_ = previous;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t slot = head;
        if (position >= length || history[slot].plain == figs) {
            write_back();
            return i;
        }
        const code c = cipher[i];
        const code p = vernam(c, tape.at(position));
        history[slot] = recent{c, p, position};
        ++position;
        head = head + 1 == window ? 0 : head + 1;
        // The oldest character leaves; the new first one is read with no letter before it.
        sum -= terms[slot];
        const std::int64_t first = letter[figs][history[head].plain];
        sum += first - terms[head];
        terms[head] = first;
        // The new character.
        const std::int64_t term = score_term(letter, figure, previous, in_figures, p);
        terms[slot] = term;
        sum += term;
        const std::size_t index = count++;
        plain[i] = p;
        if (sum > high) {
            continue;  // clearly text
        }
        write_back();
        if (window_is_garbage()) {
            searching_ = true;
            detected_at_ = index;
            search(index);
        }
        return i + 1;
    }
    write_back();
    return n;
}

// Called after each character received while the operator believes the stream is garbage.
void resync_receiver::search(std::size_t index) {
    // The operator's trial: the recent characters decrypted at each offset, walking order
    // 0, +1, -1, +2, -2, ...; the best one is taken if it reads as text and beats all the
    // others by the margin.
    const key_tape& tape = reader_.tape();
    const std::size_t n = history_size();
    window_.resize(n);
    double best = -1e300;
    double second = -1e300;
    std::ptrdiff_t best_offset = 0;
    for (std::size_t i = 0; i <= 2 * params_.max_offset; ++i) {
        const auto magnitude = static_cast<std::ptrdiff_t>((i + 1) / 2);
        const std::ptrdiff_t d = (i % 2 == 1) ? magnitude : -magnitude;
        bool fits = true;
        for (std::size_t h = 0; h < n; ++h) {
            const auto q = static_cast<std::ptrdiff_t>(history(h).key_position) + d;
            if (q < 0 || static_cast<std::size_t>(q) >= tape.size()) {
                fits = false;
                break;
            }
            window_[h] = vernam(history(h).cipher, tape.at(static_cast<std::size_t>(q)));
        }
        if (!fits) {
            continue;
        }
        const double s = plain_text_score(window_);
        if (s > best) {
            second = best;
            best = s;
            best_offset = d;
            best_plain_ = window_;
        } else if (s > second) {
            second = s;
        }
    }
    if (best < params_.text_at_least || best - second < params_.margin) {
        return;  // keep walking with the next character
    }
    if (best_offset != 0) {
        if (!reader_.step(best_offset)) {
            return;
        }
        events_.push_back(resync_event{detected_at_, best_offset, index + 1, reader_.position()});
    } else {
        ++false_alarms_;
    }
    for (std::size_t h = 0; h < n; ++h) {
        history(h).plain = best_plain_[h];
        history(h).key_position = static_cast<std::size_t>(
            static_cast<std::ptrdiff_t>(history(h).key_position) + best_offset);
    }
    scored_ = false;
    searching_ = false;
}

}  // namespace hakto::sim
